'use client';
// Keeps a server-rendered page current: re-renders its server components every few seconds while
// the tab is visible (router.refresh merges the new payload in place: no reload, no flicker, no
// lost scroll or focus), and at once when the tab becomes visible again. Every page includes it.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function LiveRefresh({ intervalMs = 5000 }: { intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') timer = setTimeout(tick, intervalMs);
    };
    const tick = () => {
      router.refresh();
      schedule();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') router.refresh();
      schedule();
    };
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [router, intervalMs]);
  return null;
}
