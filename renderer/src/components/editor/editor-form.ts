// The seedbox editor's form as plain strings and flags (what the inputs hold), its inline
// checks, and its conversion to the shared NewSeedbox, which the zod schema checks last.
import { NewSeedboxSchema, parseSftpPathMapping, type LabelStyle, type NewSeedbox, type SecretPurpose } from '../../../../electron/shared/seedbox';
import type { ClientKind } from '../../../../electron/shared/model';
import { checkDaemonUrl } from '../../../../electron/shared/daemons/address';
import type { InvokeResult } from '../../../../electron/shared/contract';
import { i18n } from '../../i18n';

// Checks run outside a component (and in tests without one): the app's translator, in the
// window's language at the time of the check; the form checks again on every change.
const { t } = i18n.global;

type SeedboxView = InvokeResult<'seedboxes:list'>[number];

export interface EditorForm {
  kind: ClientKind;
  name: string;
  url: string;
  username: string;
  tlsPinSha256: string | null;
  labelStyle: LabelStyle;
  /** Seconds; '' uses the app's setting. */
  pollSeconds: string;
  proxyKind: 'none' | 'socks5' | 'http';
  proxyHost: string;
  proxyPort: string;
  proxyUsername: string;
  sshEnabled: boolean;
  sshHost: string;
  sshPort: string;
  sshUsername: string;
  sshAuth: 'agent' | 'key' | 'password';
  sshKeyPath: string;
  /** 'none': SSH for fetching files only; the daemon is reached at its address. */
  sshRemoteKind: 'tcp' | 'unix' | 'none';
  sshRemoteHost: string;
  sshRemotePort: string;
  sshRemotePath: string;
  sshHostKeySha256: string | null;
  /** Not edited here; kept as it was. */
  pathMapping: NewSeedbox['pathMapping'];
  /** One DAEMON=SFTP mapping per line (see parseSftpPathMapping). */
  sftpPaths: string;
}

export type FormField = Exclude<keyof EditorForm, 'pathMapping' | 'tlsPinSha256' | 'sshHostKeySha256' | 'sshEnabled'>;
export type FormErrors = Partial<Record<FormField, string>>;

/** A secret field: left as stored, replaced by what was typed, or cleared on save. */
export interface SecretEdit {
  mode: 'keep' | 'replace' | 'clear';
  value: string;
}

export type SecretEdits = Record<SecretPurpose, SecretEdit>;

export function emptySecretEdits(): SecretEdits {
  return {
    'daemon-password': { mode: 'keep', value: '' },
    'ssh-secret': { mode: 'keep', value: '' },
    'proxy-password': { mode: 'keep', value: '' },
  };
}

export function emptyForm(): EditorForm {
  return {
    kind: 'rtorrent',
    name: '',
    url: '',
    username: '',
    tlsPinSha256: null,
    labelStyle: 'rutorrent',
    pollSeconds: '',
    proxyKind: 'none',
    proxyHost: '',
    proxyPort: '1080',
    proxyUsername: '',
    sshEnabled: false,
    sshHost: '',
    sshPort: '22',
    sshUsername: '',
    sshAuth: 'agent',
    sshKeyPath: '',
    sshRemoteKind: 'tcp',
    sshRemoteHost: '127.0.0.1',
    sshRemotePort: '5000',
    sshRemotePath: '',
    sshHostKeySha256: null,
    pathMapping: [],
    sftpPaths: '',
  };
}

export function formFromSeedbox(box: SeedboxView): EditorForm {
  const form = emptyForm();
  form.kind = box.kind;
  form.name = box.name;
  form.url = box.url;
  form.username = box.username;
  form.tlsPinSha256 = box.tlsPinSha256;
  form.labelStyle = box.labelStyle;
  form.pollSeconds = box.pollIntervalMs === null ? '' : String(box.pollIntervalMs / 1000);
  form.pathMapping = box.pathMapping.map((mapping) => ({ ...mapping }));
  form.sftpPaths = box.sftpPathMapping.map((mapping) => `${mapping.daemon}=${mapping.sftp}`).join('\n');
  if (box.proxy) {
    form.proxyKind = box.proxy.kind;
    form.proxyHost = box.proxy.host;
    form.proxyPort = String(box.proxy.port);
    form.proxyUsername = box.proxy.username;
  }
  const ssh = box.sshTunnel;
  if (ssh) {
    form.sshEnabled = true;
    form.sshHost = ssh.host;
    form.sshPort = String(ssh.port);
    form.sshUsername = ssh.username;
    form.sshAuth = ssh.auth;
    form.sshKeyPath = ssh.privateKeyPath ?? '';
    form.sshHostKeySha256 = ssh.hostKeySha256;
    form.sshRemoteKind = ssh.remote?.kind ?? 'none';
    if (ssh.remote?.kind === 'tcp') {
      form.sshRemoteHost = ssh.remote.host;
      form.sshRemotePort = String(ssh.remote.port);
    } else if (ssh.remote?.kind === 'unix') {
      form.sshRemotePath = ssh.remote.path;
    }
  }
  return form;
}

function portError(text: string): string | undefined {
  const port = Number(text);
  return /^\d+$/.test(text.trim()) && port >= 1 && port <= 65535 ? undefined : t('editor.errors.port');
}

/** What is wrong with the address for this kind of client (the catalogue's sentence), or undefined. */
export function urlError(kind: ClientKind, text: string): string | undefined {
  const check = checkDaemonUrl(kind, text);
  return check.ok ? undefined : check.message;
}

/** Inline errors, field by field; empty when the form can be saved or tested. */
export function validateForm(form: EditorForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = t('editor.errors.nameMissing');
  else if (form.name.trim().length > 100) errors.name = t('editor.errors.nameTooLong');
  const url = urlError(form.kind, form.url);
  if (url) errors.url = url;
  if (form.pollSeconds.trim()) {
    const seconds = Number(form.pollSeconds);
    if (!Number.isFinite(seconds) || seconds < 0.5 || seconds > 600) errors.pollSeconds = t('editor.errors.pollRange');
  }
  if (form.proxyKind !== 'none') {
    if (!form.proxyHost.trim()) errors.proxyHost = t('editor.errors.proxyHost');
    const port = portError(form.proxyPort);
    if (port) errors.proxyPort = port;
  }
  if (form.sshEnabled) {
    if (!form.sshHost.trim()) errors.sshHost = t('editor.errors.sshHost');
    const port = portError(form.sshPort);
    if (port) errors.sshPort = port;
    if (!form.sshUsername.trim()) errors.sshUsername = t('editor.errors.sshUser');
    if (form.sshAuth === 'key' && !form.sshKeyPath.trim()) errors.sshKeyPath = t('editor.errors.sshKeyPath');
    if (form.sshRemoteKind === 'tcp') {
      if (!form.sshRemoteHost.trim()) errors.sshRemoteHost = t('editor.errors.sshRemoteHost');
      const remotePort = portError(form.sshRemotePort);
      if (remotePort) errors.sshRemotePort = remotePort;
    } else if (form.sshRemoteKind === 'unix' && !form.sshRemotePath.trim().startsWith('/')) {
      errors.sshRemotePath = t('editor.errors.sshRemotePath');
    }
  }
  const sftpPaths = sftpPathLines(form.sftpPaths).map(parseSftpPathMapping);
  const badMapping = sftpPaths.find((line) => !line.ok);
  if (badMapping && !badMapping.ok) errors.sftpPaths = badMapping.message;
  else if (sftpPaths.length > 32) errors.sftpPaths = t('editor.errors.tooManyMappings');
  return errors;
}

/** The non-blank lines of the SFTP path mapping field. */
function sftpPathLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** The form as the shared seedbox settings (not validated: see checkForm). */
export function toNewSeedbox(form: EditorForm): NewSeedbox {
  return {
    name: form.name.trim(),
    kind: form.kind,
    url: form.url.trim(),
    username: form.username,
    tlsPinSha256: form.tlsPinSha256,
    proxy: form.proxyKind === 'none' ? null : { kind: form.proxyKind, host: form.proxyHost.trim(), port: Number(form.proxyPort), username: form.proxyUsername },
    sshTunnel: form.sshEnabled
      ? {
          host: form.sshHost.trim(),
          port: Number(form.sshPort),
          username: form.sshUsername.trim(),
          auth: form.sshAuth,
          privateKeyPath: form.sshAuth === 'key' ? form.sshKeyPath.trim() : null,
          hostKeySha256: form.sshHostKeySha256,
          remote:
            form.sshRemoteKind === 'tcp'
              ? { kind: 'tcp', host: form.sshRemoteHost.trim(), port: Number(form.sshRemotePort) }
              : form.sshRemoteKind === 'unix'
                ? { kind: 'unix', path: form.sshRemotePath.trim() }
                : null,
        }
      : null,
    pathMapping: form.pathMapping,
    sftpPathMapping: sftpPathLines(form.sftpPaths).flatMap((line) => {
      const parsed = parseSftpPathMapping(line);
      return parsed.ok ? [parsed.mapping] : [];
    }),
    pollIntervalMs: form.pollSeconds.trim() ? Math.round(Number(form.pollSeconds) * 1000) : null,
    labelStyle: form.labelStyle,
  };
}

export type FormCheck = { ok: true; seedbox: NewSeedbox } | { ok: false; errors: FormErrors; problem: string | null };

/** The inline checks, then the shared schema as the last word (what main will check too). */
export function checkForm(form: EditorForm): FormCheck {
  const errors = validateForm(form);
  if (Object.keys(errors).length > 0) return { ok: false, errors, problem: null };
  const parsed = NewSeedboxSchema.safeParse(toNewSeedbox(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, errors, problem: issue ? `${issue.path.join('.') || 'settings'}: ${issue.message}` : t('editor.errors.invalidSettings') };
  }
  return { ok: true, seedbox: parsed.data };
}

/** "AA:BB:…" (as TLS errors show it) to the lowercase hex a pin is stored as; null if it is not a SHA-256. */
export function fingerprintToHex(fingerprint: string): string | null {
  const hex = fingerprint.replace(/[:\s]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** Lowercase hex to "AA:BB:…" for display. */
export function hexToFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** The secrets typed in the form, for a test: replaced ones, and '' for the ones to clear. */
export function typedSecrets(edits: SecretEdits): Partial<Record<SecretPurpose, string>> {
  const secrets: Partial<Record<SecretPurpose, string>> = {};
  for (const [purpose, edit] of Object.entries(edits) as [SecretPurpose, SecretEdit][]) {
    if (edit.mode === 'replace' && edit.value) secrets[purpose] = edit.value;
    else if (edit.mode === 'clear') secrets[purpose] = '';
  }
  return secrets;
}
