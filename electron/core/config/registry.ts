// The configured seedboxes: their settings in the config file, their secrets in the SecretStore,
// joined here. Views say which secrets are set, never what they are.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { PreferencesSchema, type Preferences } from '../../shared/contract';
import { parseDaemonUrl } from '../../shared/daemons/address';
import { SeedboxError } from '../../shared/errors';
import { NewSeedboxSchema, SECRET_PURPOSES, SeedboxSchema, SHA256_HEX, type NewSeedbox, type SecretPurpose, type Seedbox } from '../../shared/seedbox';
import { guardSavedSecrets, secretEndpoint, type EndpointSettings, type SecretReader } from '../secrets/secret-endpoint';
import type { SecretStore } from '../secrets/secret-store';
import type { ConfigFile } from './config-file';

export type { SeedboxView } from '../service/registry-api';
import type { SeedboxView } from '../service/registry-api';
export type SecretValues = Partial<Record<SecretPurpose, string>>;

/** What a session needs to reach a seedbox: the client's settings plus the tunnel and proxy parts. */

export interface SeedboxRegistryOptions {
  config: ConfigFile;
  secrets: SecretStore;
  /** The random part of new ids (tests make it predictable). */
  randomSuffix?: () => string;
}

const ID_PATTERN = /^[a-z0-9-]{1,64}$/;

export class SeedboxRegistry {
  private readonly config: ConfigFile;
  private readonly secrets: SecretStore;
  private readonly randomSuffix: () => string;
  private readonly listeners = new Set<(views: SeedboxView[]) => void>();

  constructor(options: SeedboxRegistryOptions) {
    this.config = options.config;
    this.secrets = options.secrets;
    this.randomSuffix = options.randomSuffix ?? (() => randomBytes(4).readUInt32BE().toString(36).padStart(6, '0').slice(-6));
  }

  async list(): Promise<SeedboxView[]> {
    const { seedboxes } = await this.config.read();
    return Promise.all(seedboxes.map((seedbox) => this.view(seedbox)));
  }

  async get(id: string): Promise<SeedboxView> {
    return this.view(await this.seedbox(id));
  }

  /** By name, ignoring case; an exact id is accepted too, for scripts. */
  async getByName(name: string): Promise<SeedboxView> {
    const { seedboxes } = await this.config.read();
    const matches = seedboxes.filter((seedbox) => nameKey(seedbox.name) === nameKey(name));
    if (matches.length > 1) {
      throw new SeedboxError('invalid-argument', `${matches.length} seedboxes are named "${name}"; rename one, or give its id (${matches.map((seedbox) => seedbox.id).join(', ')}).`);
    }
    const found = matches[0] ?? seedboxes.find((seedbox) => seedbox.id === name);
    if (!found) throw new SeedboxError('not-found', `No seedbox named "${name}".`, { name });
    return this.view(found);
  }

  /** Saves a new seedbox; a password in its URL moves to the SecretStore with the other secrets. */
  async add(input: NewSeedbox, secrets: SecretValues = {}): Promise<SeedboxView> {
    const parsed = parse(NewSeedboxSchema, input);
    const credentials = withUrlCredentials(parsed, parsed);
    const allSecrets = { ...(credentials.password !== undefined ? { 'daemon-password': credentials.password } : {}), ...secrets };
    checkSecrets(allSecrets);
    let added: Seedbox | undefined;
    await this.config.update((config) => {
      assertNameFree(config.seedboxes, credentials.seedbox.name);
      const taken = new Set(config.seedboxes.map((seedbox) => seedbox.id));
      let id: string;
      do id = `${slug(credentials.seedbox.name)}-${this.randomSuffix()}`;
      while (taken.has(id));
      added = parse(SeedboxSchema, { ...credentials.seedbox, id });
      config.seedboxes.push(added);
    });
    const seedbox = added!;
    try {
      for (const [purpose, secret] of Object.entries(allSecrets)) await this.secrets.set(seedbox.id, purpose as SecretPurpose, secret);
    } catch (error) {
      // A seedbox whose password silently failed to save would fail later, far from the cause.
      await this.config.update((config) => {
        config.seedboxes = config.seedboxes.filter((other) => other.id !== seedbox.id);
      });
      await this.secrets.deleteAll(seedbox.id).catch(() => undefined);
      throw error;
    }
    return this.changed(seedbox.id);
  }

  /**
   * Changes settings. A saved secret whose endpoint the change moves (another address, user,
   * pin, proxy or SSH server: see secretEndpoint) is deleted first, so it never follows the
   * box somewhere else; the user types it again for the new place.
   */
  async update(id: string, changes: Partial<NewSeedbox>): Promise<SeedboxView> {
    // zod fills defaults even in a partial schema: keep only the fields the caller gave.
    const checked = pickKeys(parse(NewSeedboxSchema.partial(), changes), Object.keys(changes).filter((key) => changes[key as keyof NewSeedbox] !== undefined));
    const { seedboxes } = await this.config.read();
    const before = seedboxes[indexOf(seedboxes, id)]!;
    const planned = updated(seedboxes, id, checked);
    // Before the new settings are written: a failure here leaves the old settings with their secrets.
    for (const purpose of SECRET_PURPOSES) {
      if (secretEndpoint(purpose, before) !== secretEndpoint(purpose, planned.seedbox)) await this.secrets.delete(id, purpose);
    }
    await this.config.update((config) => {
      config.seedboxes[indexOf(config.seedboxes, id)] = updated(config.seedboxes, id, checked).seedbox;
    });
    if (planned.password !== undefined) await this.secrets.set(id, 'daemon-password', planned.password);
    return this.changed(id);
  }

  /** Removes the seedbox and every secret it had. */
  async remove(id: string): Promise<void> {
    await this.config.update((config) => {
      config.seedboxes.splice(indexOf(config.seedboxes, id), 1);
    });
    await this.secrets.deleteAll(id);
    await this.changed();
  }

  /** The new order; ids must be exactly the current ones. */
  async reorder(ids: string[]): Promise<void> {
    await this.config.update((config) => {
      const current = config.seedboxes.map((seedbox) => seedbox.id);
      const isPermutation = ids.length === current.length && new Set(ids).size === ids.length && ids.every((id) => current.includes(id));
      if (!isPermutation) throw new SeedboxError('invalid-argument', 'The new order must list every seedbox exactly once.');
      config.seedboxes = ids.map((id) => config.seedboxes[indexOf(config.seedboxes, id)]!);
    });
    await this.changed();
  }

  async setSecret(id: string, purpose: SecretPurpose, secret: string): Promise<void> {
    await this.seedbox(id);
    checkSecrets({ [purpose]: secret });
    await this.secrets.set(id, purpose, secret);
    await this.changed();
  }

  async clearSecret(id: string, purpose: SecretPurpose): Promise<void> {
    await this.seedbox(id);
    checkSecrets({ [purpose]: '-' });
    await this.secrets.delete(id, purpose);
    await this.changed();
  }

  /**
   * How a connection to `target` reads this seedbox's secrets: `supplied` ones first, then
   * `remembered` ones (typed for this run), then the keychain, the saved ones only where
   * `target` reaches the endpoint they were saved for. For the session layer only; never for
   * the window.
   */
  async secretReader(
    id: string,
    target: EndpointSettings,
    options: { supplied?: SecretValues; remembered?: (purpose: SecretPurpose) => string | undefined } = {},
  ): Promise<SecretReader> {
    const saved = await this.seedbox(id);
    return guardSavedSecrets({
      saved,
      target,
      ...(options.supplied ? { supplied: options.supplied } : {}),
      readSaved: async (purpose) => options.remembered?.(purpose) ?? (await this.secrets.get(id, purpose)),
    });
  }

  async preferences(): Promise<Preferences> {
    return (await this.config.read()).preferences;
  }

  async updatePreferences(changes: Partial<Preferences>): Promise<Preferences> {
    const saved = await this.config.update((config) => {
      config.preferences = parse(PreferencesSchema, { ...config.preferences, ...changes }, 'preferences');
    });
    return saved.preferences;
  }

  /** Trusts this certificate from now on (after the user has seen it); null removes the pin. */
  async pinCertificate(id: string, sha256: string | null): Promise<SeedboxView> {
    const pin = sha256 === null ? null : normalizeFingerprint(sha256);
    await this.mutate(id, (seedbox) => ({ ...seedbox, tlsPinSha256: pin }));
    return this.changed(id);
  }

  async pinHostKey(id: string, sha256: string): Promise<SeedboxView> {
    const pin = normalizeFingerprint(sha256);
    await this.mutate(id, (seedbox) => {
      if (!seedbox.sshTunnel) throw new SeedboxError('invalid-argument', `"${seedbox.name}" does not use an SSH tunnel, so it has no host key to pin.`);
      return { ...seedbox, sshTunnel: { ...seedbox.sshTunnel, hostKeySha256: pin } };
    });
    return this.changed(id);
  }

  /** Called with the new list after every change made through this registry. */
  onChange(listener: (views: SeedboxView[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async seedbox(id: string): Promise<Seedbox> {
    const { seedboxes } = await this.config.read();
    return seedboxes[indexOf(seedboxes, id)]!;
  }

  private async mutate(id: string, change: (seedbox: Seedbox) => Seedbox): Promise<void> {
    await this.config.update((config) => {
      const index = indexOf(config.seedboxes, id);
      config.seedboxes[index] = change(config.seedboxes[index]!);
    });
  }

  private async view(seedbox: Seedbox): Promise<SeedboxView> {
    const flags = await Promise.all(SECRET_PURPOSES.map(async (purpose) => [purpose, await this.secrets.has(seedbox.id, purpose)] as const));
    return { ...seedbox, secrets: Object.fromEntries(flags) as SeedboxView['secrets'] };
  }

  /** Tells the listeners; returns the view of `id` when given. */
  private async changed(id: string): Promise<SeedboxView>;
  private async changed(): Promise<void>;
  private async changed(id?: string): Promise<SeedboxView | void> {
    const views = await this.list();
    for (const listener of this.listeners) {
      try {
        listener(views);
      } catch {
        // A listener's failure is its own; the change is saved.
      }
    }
    if (id === undefined) return;
    const view = views.find((candidate) => candidate.id === id);
    if (!view) throw new SeedboxError('not-found', `No seedbox with id "${id}".`, { id });
    return view;
  }
}

/**
 * Checks the URL for the kind and moves the credentials providers print in it
 * ("https://user:pass@host/RPC2") out of it: the user name to the seedbox's username, the
 * password to the keychain; the stored URL carries neither.
 */
function withUrlCredentials<T extends { kind: Seedbox['kind']; url: string; username?: string }>(
  seedbox: T,
  given: { username?: string | undefined },
): { seedbox: T; password: string | undefined } {
  const address = parseDaemonUrl(seedbox.kind, seedbox.url);
  const explicitUser = given.username ?? '';
  if (address.username !== undefined && explicitUser !== '' && explicitUser !== address.username) {
    throw new SeedboxError('invalid-argument', `The address names user "${address.username}" but the user name is "${explicitUser}"; give one of them.`);
  }
  return {
    seedbox: { ...seedbox, url: address.url, ...(address.username !== undefined ? { username: address.username } : {}) },
    password: address.password,
  };
}

/** The settings `checked` makes of box `id`, checked, and a password its new URL carried. */
function updated(seedboxes: Seedbox[], id: string, checked: Partial<NewSeedbox>): { seedbox: Seedbox; password: string | undefined } {
  const current = seedboxes[indexOf(seedboxes, id)]!;
  const merged = { ...current, ...checked, id };
  // A new URL is checked (and stripped of credentials) against the kind it will be used with.
  const credentials = checked.url !== undefined || checked.kind !== undefined ? withUrlCredentials(merged, checked) : { seedbox: merged, password: undefined };
  if (checked.name !== undefined) assertNameFree(seedboxes.filter((other) => other.id !== id), checked.name);
  return { seedbox: parse(SeedboxSchema, credentials.seedbox), password: credentials.password };
}

function assertNameFree(seedboxes: Seedbox[], name: string): void {
  const clash = seedboxes.find((seedbox) => nameKey(seedbox.name) === nameKey(name));
  if (clash) throw new SeedboxError('already-exists', `There is already a seedbox named "${clash.name}"; names must differ (ignoring case).`, { name });
}

function indexOf(seedboxes: Seedbox[], id: string): number {
  const index = seedboxes.findIndex((seedbox) => seedbox.id === id);
  if (index < 0) throw new SeedboxError('not-found', `No seedbox with id "${id}".`, { id });
  return index;
}

function checkSecrets(secrets: SecretValues): void {
  for (const [purpose, secret] of Object.entries(secrets)) {
    if (!SECRET_PURPOSES.includes(purpose as SecretPurpose)) throw new SeedboxError('invalid-argument', `Unknown kind of secret "${purpose}".`);
    if (typeof secret !== 'string' || secret === '' || secret.length > 4096) {
      throw new SeedboxError('invalid-argument', `The ${purpose.replace('-', ' ')} must be 1 to 4096 characters.`);
    }
  }
}

function normalizeFingerprint(text: string): string {
  const pin = text.replaceAll(':', '').trim().toLowerCase();
  if (!SHA256_HEX.test(pin)) throw new SeedboxError('invalid-argument', 'A SHA-256 fingerprint is 64 hexadecimal digits (colons allowed).');
  return pin;
}

function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** "My Box (EU) ü" → "my-box-eu-u": the readable part of a new id. */
export function slug(name: string): string {
  const text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const result = text || 'seedbox';
  if (!ID_PATTERN.test(`${result}-000000`)) throw new SeedboxError('internal', `Cannot make an id from "${name}".`);
  return result;
}

function pickKeys<T extends object>(value: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key))) as Partial<T>;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'seedbox settings'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.map(String).join('.');
  throw new SeedboxError('invalid-argument', `Invalid ${what}: ${where ? `${where}: ` : ''}${issue?.message ?? 'not valid'}.`);
}
