// A seedbox as the user configures it: what the registry stores (never a secret), what the
// editor edits, what crosses IPC. One schema, so the config file, the CLI and the window agree.
import { z } from 'zod';
import { CLIENT_KINDS } from './model';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const LABEL_STYLES = ['rutorrent', 'flood'] as const;
export type LabelStyle = (typeof LABEL_STYLES)[number];

const host = z.string().trim().min(1).max(253);
const port = z.number().int().min(1).max(65535);

export const ProxySchema = z.object({
  kind: z.enum(['socks5', 'http']),
  host,
  port,
  /** The password, if any, is in the keychain (purpose 'proxy-password'). */
  username: z.string().max(255).default(''),
});
export type ProxySettings = z.infer<typeof ProxySchema>;

export const SshTunnelSchema = z.object({
  host,
  port: port.default(22),
  username: z.string().min(1).max(255),
  /** 'password' and the key's passphrase live in the keychain (purpose 'ssh-secret'). */
  auth: z.enum(['agent', 'key', 'password']),
  privateKeyPath: z.string().max(4096).nullable().default(null),
  /** SHA-256 of the server's host key, pinned on first use after the user has seen it. */
  hostKeySha256: z.string().regex(SHA256_HEX).nullable().default(null),
  /**
   * What to reach on the far side: a TCP port (often 127.0.0.1:5000) or rTorrent's Unix socket.
   * null: SSH for files only (fetching over SFTP); the daemon is reached at its URL as without SSH.
   */
  remote: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('tcp'), host, port }),
      z.object({ kind: z.literal('unix'), path: z.string().startsWith('/').max(4096) }),
    ])
    .nullable(),
});
export type SshTunnelSettings = z.infer<typeof SshTunnelSchema>;

export const PathMappingSchema = z.object({
  /** A path as the daemon sees it ("/home/me/downloads"). */
  remote: z.string().min(1).max(4096),
  /** The same place as this computer sees it (a mount, a share). */
  local: z.string().min(1).max(4096),
});

/**
 * Where a daemon's save path is over SFTP when the two differ (a chroot, a home folder): a path
 * prefix as the daemon reports it and the same place as the SSH login sees it (relative to its
 * home folder when not absolute). The longest matching prefix wins; no match: the same path.
 */
export const SftpPathMappingSchema = z.object({
  daemon: z.string().trim().startsWith('/', 'A daemon path starts with "/".').max(4096),
  sftp: z.string().trim().min(1, 'Give the path as SFTP shows it.').max(4096).refine((path) => !path.includes('\0'), 'A path has no NUL character.'),
});
export type SftpPathMapping = z.infer<typeof SftpPathMappingSchema>;

/**
 * "DAEMON=SFTP" (the CLI's --sftp-path, a line of the editor's field) as a mapping; the first "="
 * separates the two, so only the SFTP side may hold one. An error message when it is not one.
 */
export function parseSftpPathMapping(text: string): { ok: true; mapping: SftpPathMapping } | { ok: false; message: string } {
  const separator = text.indexOf('=');
  if (separator < 0) return { ok: false, message: `"${text}" is not DAEMON-PATH=SFTP-PATH (for example /home/me/downloads=downloads).` };
  const parsed = SftpPathMappingSchema.safeParse({ daemon: text.slice(0, separator), sftp: text.slice(separator + 1) });
  if (parsed.success) return { ok: true, mapping: parsed.data };
  return { ok: false, message: `"${text}": ${parsed.error.issues[0]?.message ?? 'not a path mapping'}` };
}

export const SeedboxSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(CLIENT_KINDS),
  url: z.string().trim().min(1).max(2048),
  username: z.string().max(255).default(''),
  tlsPinSha256: z.string().regex(SHA256_HEX).nullable().default(null),
  proxy: ProxySchema.nullable().default(null),
  sshTunnel: SshTunnelSchema.nullable().default(null),
  pathMapping: z.array(PathMappingSchema).max(32).default([]),
  /** For fetching: older settings files have none, which means the daemon's paths as they are. */
  sftpPathMapping: z.array(SftpPathMappingSchema).max(32).default([]),
  /** Milliseconds while the window is visible; null uses the app's setting. */
  pollIntervalMs: z.number().int().min(500).max(600_000).nullable().default(null),
  /** rTorrent only: how labels are kept in d.custom1. */
  labelStyle: z.enum(LABEL_STYLES).default('rutorrent'),
});
export type Seedbox = z.infer<typeof SeedboxSchema>;
/** What the editor sends to create a seedbox: everything but the id, which the registry makes. */
export const NewSeedboxSchema = SeedboxSchema.omit({ id: true });
export type NewSeedbox = z.input<typeof NewSeedboxSchema>;

export const SECRET_PURPOSES = ['daemon-password', 'ssh-secret', 'proxy-password'] as const;
export type SecretPurpose = (typeof SECRET_PURPOSES)[number];

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/**
 * The same fields, all optional and WITHOUT their defaults, for partial updates: zod's
 * .partial() still fills a missing field with its default, which would reset every setting
 * the caller did not mention.
 */
export function changesOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodObject<{ [K in keyof Shape]: z.ZodOptional<WithoutDefault<Shape[K]>> }> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional()]),
  );
  return z.object(shape) as never;
}

export const SeedboxChangesSchema = changesOf(NewSeedboxSchema);
