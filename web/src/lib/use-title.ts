import { useEffect } from "react";

/** Each page has its own document title (WCAG 2.4.2). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Karta` : "Karta";
  }, [title]);
}
