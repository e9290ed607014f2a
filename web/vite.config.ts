/// <reference types="vitest/config" />
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

// The session is restored by `src/boot.ts`, a script of its own that the page runs first: its
// refresh request goes out while the app's code is still downloading and parsing.
function earlyBoot(): Plugin {
  return {
    name: "clinic-early-boot",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, context) {
        const boot = Object.values(context.bundle ?? {}).find((output) => output.type === "chunk" && output.name === "boot");
        if (!boot) throw new Error("the boot chunk is missing from the build");
        return [{ tag: "script", attrs: { type: "module", src: `/${boot.fileName}` }, injectTo: "head-prepend" }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), gzipTwins(), earlyBoot()],
  build: {
    outDir: "dist",
    assetsDir: "assets", // content-hashed names: the gateway caches /assets/* for a year
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: { index: fileURLToPath(new URL("index.html", import.meta.url)), boot: fileURLToPath(new URL("src/boot.ts", import.meta.url)) },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" }, // `npm run dev` beside `make run`
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
