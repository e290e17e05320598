fn main() {
    scale_lab::run();
}
