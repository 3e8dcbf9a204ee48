import type { NewSeedbox, Seedbox, SecretPurpose } from '../../../shared/seedbox';
import type { SecretReader } from '../../connections/open';
import type { OpenConnection } from '../../connections/session';
import type { CoreEventSource } from '../../events';
import type { BoxSet } from '../boxes';
import type { HandlerPart } from '../handlers';
import type { RegistryApi } from '../registry-api';
import type { SessionSecrets } from './session-secrets';
import { testConnection } from './test-connection';

type SeedboxChannel =
  | 'seedboxes:list'
  | 'seedboxes:add'
  | 'seedboxes:update'
  | 'seedboxes:remove'
  | 'seedboxes:reorder'
  | 'seedboxes:test'
  | 'seedboxes:setSecret'
  | 'seedboxes:clearSecret'
  | 'seedboxes:sessionPassword'
  | 'seedboxes:pinCertificate'
  | 'seedboxes:pinHostKey'
  | 'seedboxes:retry'
  | 'seedboxes:statuses';

/** The saved seedboxes, their secrets and pins: every change restarts what it affects and is announced. */
export function seedboxHandlers(deps: {
  registry: RegistryApi;
  boxes: Pick<BoxSet, 'launch' | 'restart' | 'remove' | 'boxOf' | 'all'>;
  secrets: SessionSecrets;
  events: CoreEventSource;
  open: (seedbox: Seedbox, readSecret: SecretReader) => Promise<OpenConnection>;
}): HandlerPart<SeedboxChannel> {
  const { registry, boxes, secrets, events } = deps;
  async function changed(): Promise<void> {
    events.emit('seedboxes:changed', await registry.list());
  }
  return {
    'seedboxes:list': async () => registry.list(),
    'seedboxes:add': async ({ seedbox }) => {
      const view = await registry.add(seedbox as NewSeedbox);
      boxes.launch(await registry.get(view.id));
      await changed();
      return view;
    },
    'seedboxes:update': async ({ id, changes }) => {
      const before = await registry.get(id);
      const view = await registry.update(id, changes as Partial<NewSeedbox>);
      secrets.forgetMoved(id, before, view);
      await boxes.restart(id);
      await changed();
      return view;
    },
    'seedboxes:remove': async ({ id }) => {
      await boxes.remove(id);
      await registry.remove(id);
      secrets.forgetBox(id);
      await changed();
      return null;
    },
    'seedboxes:reorder': async ({ ids }) => {
      await registry.reorder(ids);
      await changed();
      return null;
    },
    'seedboxes:test': async ({ seedbox, id, secrets: supplied }) => {
      const target: Seedbox = { ...(seedbox as Seedbox), id: id ?? 'unsaved' };
      const given = (supplied ?? {}) as Partial<Record<SecretPurpose, string>>;
      const readSecret: SecretReader = id ? secrets.readerFor(id, target, given) : async (purpose) => given[purpose];
      return testConnection(deps.open, target, readSecret);
    },
    'seedboxes:setSecret': async ({ id, purpose, secret }) => {
      await registry.setSecret(id, purpose, secret);
      await boxes.restart(id);
      await changed();
      return null;
    },
    'seedboxes:clearSecret': async ({ id, purpose }) => {
      await registry.clearSecret(id, purpose);
      secrets.forget(id, purpose);
      await changed();
      return null;
    },
    'seedboxes:sessionPassword': async ({ id, purpose, secret }) => {
      await registry.get(id);
      secrets.set(id, purpose, secret);
      await boxes.restart(id);
      return null;
    },
    'seedboxes:pinCertificate': async ({ id, sha256 }) => {
      const view = await registry.pinCertificate(id, sha256);
      await boxes.restart(id);
      await changed();
      return view;
    },
    'seedboxes:pinHostKey': async ({ id, sha256 }) => {
      const view = await registry.pinHostKey(id, sha256);
      await boxes.restart(id);
      await changed();
      return view;
    },
    'seedboxes:retry': async ({ seedboxId }) => {
      await boxes.boxOf(seedboxId).session.start();
      return null;
    },
    'seedboxes:statuses': async () => [...boxes.all()].map((box) => box.session.status),
  };
}
