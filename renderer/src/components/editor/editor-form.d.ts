import { type LabelStyle, type NewSeedbox, type SecretPurpose } from '../../../../electron/shared/seedbox';
import type { ClientKind } from '../../../../electron/shared/model';
import type { InvokeResult } from '../../../../electron/shared/contract';
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
    sshRemoteKind: 'tcp' | 'unix';
    sshRemoteHost: string;
    sshRemotePort: string;
    sshRemotePath: string;
    sshHostKeySha256: string | null;
    /** Not edited here; kept as it was. */
    pathMapping: NewSeedbox['pathMapping'];
}
export type FormField = Exclude<keyof EditorForm, 'pathMapping' | 'tlsPinSha256' | 'sshHostKeySha256' | 'sshEnabled'>;
export type FormErrors = Partial<Record<FormField, string>>;
export declare const URL_EXAMPLES: Record<ClientKind, string[]>;
export declare const CLIENT_NAMES: Record<ClientKind, string>;
/** A secret field: left as stored, replaced by what was typed, or cleared on save. */
export interface SecretEdit {
    mode: 'keep' | 'replace' | 'clear';
    value: string;
}
export type SecretEdits = Record<SecretPurpose, SecretEdit>;
export declare function emptySecretEdits(): SecretEdits;
export declare function emptyForm(): EditorForm;
export declare function formFromSeedbox(box: SeedboxView): EditorForm;
/** What is wrong with the URL for this kind of client, or undefined. */
export declare function urlError(kind: ClientKind, text: string): string | undefined;
/** Inline errors, field by field; empty when the form can be saved or tested. */
export declare function validateForm(form: EditorForm): FormErrors;
/** The form as the shared seedbox settings (not validated: see checkForm). */
export declare function toNewSeedbox(form: EditorForm): NewSeedbox;
export type FormCheck = {
    ok: true;
    seedbox: NewSeedbox;
} | {
    ok: false;
    errors: FormErrors;
    problem: string | null;
};
/** The inline checks, then the shared schema as the last word (what main will check too). */
export declare function checkForm(form: EditorForm): FormCheck;
/** "AA:BB:…" (as TLS errors show it) to the lowercase hex a pin is stored as; null if it is not a SHA-256. */
export declare function fingerprintToHex(fingerprint: string): string | null;
/** Lowercase hex to "AA:BB:…" for display. */
export declare function hexToFingerprint(hex: string): string;
/** The secrets typed in the form, for a test: replaced ones, and '' for the ones to clear. */
export declare function typedSecrets(edits: SecretEdits): Partial<Record<SecretPurpose, string>>;
export {};
