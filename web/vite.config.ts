/// <reference types="vitest/config" />
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// Next to every text asset a `.gz` twin: the gateway serves it to browsers that accept gzip, so
// nothing is compressed per request and the size on the wire is what `make bench` reports.
function gzipTwins(): Plugin {
  let outDir = "dist";
  return {
    name: "clinic-gzip-twins",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const fileName of [...Object.keys(bundle), "index.html"]) {
        if (!/\.(js|css|html|svg|json)$/.test(fileName)) continue;
        const path = join(outDir, fileName);
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), gzipTwins()],
  build: {
    outDir: "dist",
    assetsDir: "assets", // content-hashed names: the gateway caches /assets/* for a year
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" }, // `npm run dev` beside `make run`
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
