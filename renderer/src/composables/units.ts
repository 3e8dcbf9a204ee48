// Sizes and speeds in the units the user chose in Settings (binary KiB/MiB or decimal kB/MB).
import { computed, type ComputedRef } from 'vue';
import { formatBytes, formatRate, type ByteUnits } from '../../../electron/shared/format';
import { useSettingsStore } from '../stores/settings';

export interface UnitFormat {
  units: ByteUnits;
  bytes: (bytes: number) => string;
  /** A row's speed: "-" when idle, so busy rows stand out. */
  rate: (bytesPerSecond: number) => string;
  /** A connected box's total: "0 B/s" when idle, since "-" would read as unknown. */
  totalRate: (bytesPerSecond: number) => string;
}

function bound(units: ByteUnits): UnitFormat {
  return {
    units,
    bytes: (bytes) => formatBytes(bytes, units), rate: (bytesPerSecond) => formatRate(bytesPerSecond, units),
    totalRate: (bytesPerSecond) => `${formatBytes(Math.max(0, bytesPerSecond), units)}/s`,
  };
}

// One object per choice, so a computed over it changes only when the preference does.
const FORMATS: Record<ByteUnits, UnitFormat> = { binary: bound('binary'), decimal: bound('decimal') };

/**
 * The formatters for the current preference, reactively: a template or computed that reads
 * `units.value.bytes(...)` re-renders when the setting changes. Read it once per render (not
 * per row) where many values are formatted.
 */
export function useUnits(): ComputedRef<UnitFormat> {
  const settings = useSettingsStore();
  return computed(() => FORMATS[settings.preferences.units] ?? FORMATS.binary);
}
