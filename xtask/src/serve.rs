//! `cargo xtask serve`: `trunk serve` with live reload on 127.0.0.1:8080
//! (address and port come from Trunk.toml; extra arguments go to trunk).

use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use crate::tools;
use crate::util::{Result, command, display, heading};

const HOST: &str = "127.0.0.1";
const DEFAULT_PORT: u16 = 8080;

pub fn main(trunk_args: &[String]) -> Result {
    heading("tools");
    tools::ensure_site_tools()?;

    let port = port_in(trunk_args).unwrap_or(DEFAULT_PORT);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    if TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok() {
        return Err(format!(
            "something is already listening on {HOST}:{port}; stop it, or pick another port: \
             cargo xtask serve --port 8081"
        ));
    }

    heading("trunk serve");
    let mut cmd = command("trunk");
    cmd.args(["serve", "--offline=true"])
        .args(trunk_args)
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    println!("$ {}", display(&cmd));
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start trunk: {e}"))?;

    // Announce the URL once trunk listens (after its first build).
    thread::spawn(move || {
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok() {
                println!(
                    "\n    Scale Lab is running at http://{HOST}:{port}/  (Ctrl-C stops it)\n"
                );
                return;
            }
            thread::sleep(Duration::from_millis(250));
        }
    });

    let status = child
        .wait()
        .map_err(|e| format!("waiting for trunk: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("trunk serve stopped ({status})"))
    }
}

/// The port from `--port N` / `--port=N` / `-p N` among trunk's arguments.
fn port_in(args: &[String]) -> Option<u16> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(value) = arg.strip_prefix("--port=") {
            return value.parse().ok();
        }
        if arg == "--port" || arg == "-p" {
            return iter.next()?.parse().ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_a_port_override() {
        assert_eq!(port_in(&args(&[])), None);
        assert_eq!(port_in(&args(&["--port", "9000"])), Some(9000));
        assert_eq!(port_in(&args(&["--open", "--port=8081"])), Some(8081));
        assert_eq!(port_in(&args(&["-p", "8082"])), Some(8082));
        assert_eq!(port_in(&args(&["--port"])), None);
    }
}
