// Starts the simulation worker (src/live.rs, src/bin/engine.rs): loads the
// engine's wasm and has it answer the simulation's protocol. A load that
// fails is reported to the page, which then loads the engine itself.
// The page passes the engine's build (`?v=…`, src/engine.rs `url`), which
// goes on the engine's files so that no cache serves an older engine.
const build = new URLSearchParams(self.location.search).get('v');
const v = build ? `?v=${encodeURIComponent(build)}` : '';
importScripts(`./engine.js${v}`);
wasm_bindgen({ module_or_path: `./engine_bg.wasm${v}` })
  .then(() => wasm_bindgen.sim_worker_main())
  .catch((e) => {
    postMessage({ Failed: `the simulation worker could not start: ${e}` });
    close();
  });
