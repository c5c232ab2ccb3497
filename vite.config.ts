import { defineConfig } from "vite";

// The front end lives in ui/; `npm run build` writes ui/dist, which the Tauri window
// serves (src-tauri/tauri.conf.json: frontendDist "../ui/dist").
export default defineConfig({
  root: "ui",
  // The window icon is the app icon (assets/icons/icon.svg), not a copy of it.
  publicDir: "../assets/icons",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
});
