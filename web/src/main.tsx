import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { App, preloadFirstScreen } from "./App";
import { AuthProvider } from "./auth/AuthProvider";
import { ApiProblem } from "./lib/problem";
import { loadAllTexts } from "./i18n";
import "./styles.css";

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000, // the live stream marks data stale when it changes
      refetchOnWindowFocus: false,
      retry: (failures, error) => !(error instanceof ApiProblem && error.status < 500) && failures < 2,
    },
  },
});

// The schedule is the screen most loads open on: fetch its code while the session is restored.
preloadFirstScreen(window.location.pathname);

// The other screens' words, once the first screen has had its time (see i18n/index.ts).
setTimeout(() => (globalThis.requestIdleCallback ?? setTimeout)(() => void loadAllTexts()), 2000);

// Suspense: texts not in the app's code (English at start) are loaded before anything shows.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Suspense fallback={null}>
      <QueryClientProvider client={queries}>
        <AuthProvider>
          <App />
        </AuthProvider>
      </QueryClientProvider>
    </Suspense>
  </StrictMode>,
);
