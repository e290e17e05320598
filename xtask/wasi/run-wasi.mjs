// Runs a wasm32-wasip1 command (e.g. scalesim.wasm) under Node's built-in
// WASI, with the current directory readable as "." — so the same arguments
// work as for the native binary. Used by `cargo xtask bench` and by the
// native-vs-wasm determinism check in `cargo xtask test`.
//
//   node run-wasi.mjs <module.wasm> [args…]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [module, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: ['scalesim', ...args],
  env: {},
  preopens: { '.': process.cwd() },
  returnOnExit: true,
});
const wasm = await WebAssembly.compile(await readFile(module));
const instance = await WebAssembly.instantiate(wasm, wasi.getImportObject());
process.exitCode = wasi.start(instance);
