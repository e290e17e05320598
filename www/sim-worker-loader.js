// Starts the simulation worker (src/live.rs, src/bin/engine.rs): loads the
// engine's wasm and has it answer the simulation's protocol. A load that
// fails is reported to the page, which then loads the engine itself.
importScripts('./engine.js');
wasm_bindgen({ module_or_path: './engine_bg.wasm' })
  .then(() => wasm_bindgen.sim_worker_main())
  .catch((e) => {
    postMessage({ Failed: `the simulation worker could not start: ${e}` });
    close();
  });
