import type { Preferences } from '../../../shared/contract';
import type { CoreEventSource } from '../../events';
import type { RegistryApi } from '../registry-api';

/** The user's preferences as last read or saved; changes go out as preferences:changed. */
export class PreferencesCache {
  private value: Preferences | undefined;

  constructor(
    private readonly registry: Pick<RegistryApi, 'preferences' | 'updatePreferences'>,
    private readonly events: CoreEventSource,
  ) {}

  /** Undefined until first read (the service reads them as it starts). */
  get current(): Preferences | undefined {
    return this.value;
  }

  async get(): Promise<Preferences> {
    return (this.value ??= await this.registry.preferences());
  }

  async reload(): Promise<Preferences> {
    return (this.value = await this.registry.preferences());
  }

  async update(changes: Partial<Preferences>): Promise<Preferences> {
    const updated = (this.value = await this.registry.updatePreferences(changes));
    this.events.emit('preferences:changed', updated);
    return updated;
  }
}
