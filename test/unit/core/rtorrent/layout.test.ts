import { describe, expect, it } from 'vitest';
import type { XmlRpcValue } from '../../../../electron/core/codecs/xmlrpc';
import { readLayouts } from '../../../../electron/core/clients/rtorrent/layout';
import type { RtorrentRpc } from '../../../../electron/core/clients/rtorrent/rpc';
import { expectSeedboxError } from '../../../helpers/errors';

const HASH = '0123456789ABCDEF0123456789ABCDEF01234567';

/** An rpc whose multicall answers what the test says: the shapes a broken or hostile server could send. */
function answering(answers: XmlRpcValue[]): RtorrentRpc {
  return { multicallAll: async () => answers } as unknown as RtorrentRpc;
}

const good: XmlRpcValue[] = ['/data/Show', 1, 'Show', 1, 1, 1, [['a.bin'], ['sub/b.bin']]];

describe('readLayouts (what remove and move read before touching data)', () => {
  it('takes a well-formed answer', async () => {
    const [layout] = await readLayouts(answering(good), [HASH]);
    expect(layout).toEqual({
      hash: HASH,
      id: HASH.toLowerCase(),
      directory: '/data/Show',
      isMultiFile: true,
      name: 'Show',
      files: ['a.bin', 'sub/b.bin'],
      state: { started: true, open: true, active: true },
    });
  });

  it.each([
    ['a file list that is not a list', [...good.slice(0, 6), 'oops'], /f\.multicall f\.path=/],
    ['a file row that is not a row', [...good.slice(0, 6), ['a.bin']], /f\.multicall f\.path= .* at 0/],
    ['a file path that is a number', [...good.slice(0, 6), [[42]]], /f\.multicall f\.path= .* at 0\.0/],
    ['an empty file path', [...good.slice(0, 6), [['']]], /f\.multicall f\.path=/],
    ['a directory that is a list', [[], ...good.slice(1)], /d\.directory/],
    ['a state that is a string', [...good.slice(0, 3), 'started', ...good.slice(4)], /d\.state/],
    ['too few answers', good.slice(0, 5), /for 0123456789abcdef/],
  ])('turns %s into a typed protocol error naming the call', async (_what, answers, message) => {
    await expectSeedboxError(readLayouts(answering(answers as XmlRpcValue[]), [HASH]), 'protocol', message);
  });
});
