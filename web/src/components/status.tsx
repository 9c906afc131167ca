import { Component, type ReactNode } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { ApiError, OfflineError } from "../lib/api";
import { DeviceStorageError } from "../lib/offline";

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t("common.loading")}
    </p>
  );
}

/** A refusal made on the page itself, its message already in the reader's language. */
export class NoticeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoticeError";
  }
}

/** The message a person can act on: the API's (already in their language) or ours. */
export function errorText(error: unknown, t: ReturnType<typeof useT>): string {
  if (error instanceof NoticeError) return error.message;
  if (error instanceof OfflineError) return t("error.offline");
  if (error instanceof DeviceStorageError) return t("error.deviceStorage");
  if (error instanceof ApiError && error.message) return error.message;
  return t("error.unexpected");
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorText(error, t)}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export type BoardState = "missing" | "draft" | "submitted" | "returned" | "approved" | "late" | "pending";

export function StatusBadge({ status }: { status: BoardState | string }) {
  const t = useT();
  return <span className={`badge badge-${status}`}>{t(`status.${status}` as MessageKey)}</span>;
}

/**
 * A page that throws while rendering shows a message and a way back instead of a blank app;
 * changes kept on the device are untouched. Reset when the path changes (`key`).
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: unknown) {
    console.error("karta: a page failed to render", error);
  }
  render() {
    return this.state.failed ? <PageFailed onRetry={() => this.setState({ failed: false })} /> : this.props.children;
  }
}

function PageFailed({ onRetry }: { onRetry: () => void }) {
  const t = useT();
  return (
    <div className="notice notice-error" role="alert">
      <p>{t("error.page")}</p>
      <button type="button" className="button secondary" onClick={onRetry}>
        {t("common.retry")}
      </button>
    </div>
  );
}
