// Starts the grade worker (src/grading.rs, src/bin/grade_worker.rs): loads
// the wasm Trunk builds for it. A load that fails is reported to the page
// as a failed reply, so the page grades by itself instead.
importScripts('./grade_worker.js');
wasm_bindgen({ module_or_path: './grade_worker_bg.wasm' }).catch((e) => {
  postMessage({ Failed: `the grade worker could not start: ${e}` });
  close();
});
