import { defineConfig } from "vite";

// Built from the root (`vite build web`), from web/ (`npm run build` in the StaticSite) or by the
// local stack inside a test run; all resolve packages from the root node_modules. The dev server
// forwards the API to `npm start`.
export default defineConfig(({ command }) => {
  // A build is always the production bundle, even when started from a test process where
  // NODE_ENV=test would otherwise select React's development build and development JSX.
  const production = command === "build";
  return {
    root: import.meta.dirname,
    oxc: { jsx: { runtime: "automatic", importSource: "react", development: !production } },
    define: production ? { "process.env.NODE_ENV": JSON.stringify("production") } : {},
    // the manifest lists every built file, for the service worker to keep them offline (public/sw.js)
    build: { outDir: "dist", emptyOutDir: true, manifest: true, target: "es2020", sourcemap: false, reportCompressedSize: false },
    server: {
      proxy: {
        "/api": "http://127.0.0.1:3000",
        "/local": "http://127.0.0.1:3000",
        "/approve": "http://127.0.0.1:3000",
      },
    },
  };
});
