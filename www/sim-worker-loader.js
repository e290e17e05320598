// Starts the simulation worker (src/live.rs, src/bin/sim_worker.rs): loads
// the wasm Trunk builds for it. A load that fails is reported to the page,
// which then runs the simulation itself.
importScripts('./sim_worker.js');
wasm_bindgen({ module_or_path: './sim_worker_bg.wasm' }).catch((e) => {
  postMessage({ Failed: `the simulation worker could not start: ${e}` });
  close();
});
