// Starts the grade worker (src/grading.rs, src/bin/engine.rs): loads the
// engine's wasm and has it answer the grading protocol. A load that fails
// is reported to the page as a failed reply, so the page grades instead.
importScripts('./engine.js');
wasm_bindgen({ module_or_path: './engine_bg.wasm' })
  .then(() => wasm_bindgen.grade_worker_main())
  .catch((e) => {
    postMessage({ Failed: `the grade worker could not start: ${e}` });
    close();
  });
