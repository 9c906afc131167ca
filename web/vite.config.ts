import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built from the root (`vite build web`) or from web/ (`npm run build` in the StaticSite); both
// resolve packages from the root node_modules. The dev server forwards the API to `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2020", sourcemap: false, reportCompressedSize: false },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/local": "http://127.0.0.1:3000",
      "/approve": "http://127.0.0.1:3000",
    },
  },
});
