import { lazy, useState, type ComponentType } from "react";

/**
 * A screen whose code is its own chunk, like `React.lazy`, plus `preload()`: once its code has
 * arrived, the screen renders at once instead of suspending. That matters for the first screen of
 * a load: React shows a revealed Suspense boundary no sooner than 300 ms after its fallback
 * appeared, so a lazy first screen waited that long after its data had come.
 */
export function screen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => ((loaded = module.default), module),
      (error: unknown) => {
        loading = undefined; // a failed download is tried again next time
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  function Screen(props: P) {
    // Chosen once per mount: switching from the lazy wrapper to the module would remount the screen.
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Component {...props} />;
  }
  Screen.preload = preload;
  return Screen;
}
