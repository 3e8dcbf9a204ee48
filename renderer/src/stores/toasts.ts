// Short messages about what an action did (or why it failed), stacked in a corner.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../api';
import { errorLine } from '../i18n';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
  /** A second line: what the user can do about it. */
  detail?: string;
  /** The technical reason behind an error, shown only on demand. */
  reason?: string;
}

const LIFETIME_MS = { success: 3500, info: 4500, error: 8000 } as const;

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return errorLine(error.code, error.message);
  return error instanceof Error ? error.message : String(error);
}

/** The technical reason an error keeps out of its one-sentence message (shown on demand), if any. */
export function errorReason(error: unknown): string | null {
  const details = error instanceof ApiError ? error.details : (error as { details?: Record<string, unknown> } | null)?.details;
  const reason = details?.['reason'];
  return typeof reason === 'string' && reason !== '' ? reason : null;
}

export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let serial = 0;

  function push(toast: Omit<Toast, 'id'>): number {
    const id = ++serial;
    toasts.value = [...toasts.value.slice(-4), { ...toast, id }];
    setTimeout(() => dismiss(id), LIFETIME_MS[toast.kind]);
    return id;
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }
  const success = (message: string): number => push({ kind: 'success', message });
  const info = (message: string): number => push({ kind: 'info', message });
  const error = (message: string, cause?: unknown): number =>
    push(cause === undefined ? { kind: 'error', message } : { kind: 'error', message, detail: errorMessage(cause), reason: errorReason(cause) ?? undefined });

  return { toasts, push, dismiss, success, info, error };
});
