import { describe, expect, it } from 'vitest';
import { isUnregisteredMessage, summarizeTrackers, trackerProblem } from '../../../electron/shared/tracker-status';

describe('isUnregisteredMessage', () => {
  it.each([
    'Unregistered torrent',
    'unregistered torrent',
    'Failure reason "Unregistered torrent"',
    'Torrent not registered with this tracker.',
    'torrent is not registered',
    'Torrent not found',
    'infohash not found.',
    'Info hash not found',
    'info_hash not found',
    'Unknown torrent',
    'torrent does not exist',
    'Torrent has been deleted.',
    'UNREGISTERED   TORRENT',
  ])('%s says the tracker does not know the torrent', (message) => {
    expect(isUnregisteredMessage(message)).toBe(true);
  });

  it.each([
    '',
    'Connection refused',
    "Couldn't connect to server",
    'Timeout was reached',
    'Could not connect to tracker',
    'Tracker did not respond',
    'Not Found',
    'HTTP 404 not found',
    'Could not resolve host: tracker.example',
    'Host not found (authoritative)',
    'timed out',
    'Service Unavailable',
    'Your client is not on the whitelist',
    'Registered torrent count exceeded',
  ])('%s is not a verdict on the torrent', (message) => {
    expect(isUnregisteredMessage(message)).toBe(false);
  });
});

describe('trackerProblem and summarizeTrackers', () => {
  it('turns a problem into unregistered only on the tracker\'s words', () => {
    expect(trackerProblem('error', 'Unregistered torrent')).toBe('unregistered');
    expect(trackerProblem('warning', 'unregistered torrent')).toBe('unregistered');
    expect(trackerProblem('error', 'Connection refused')).toBe('error');
    expect(trackerProblem('warning', 'slow down')).toBe('warning');
  });

  it('keeps the worst report with its words; nothing answered is unknown', () => {
    expect(summarizeTrackers([])).toEqual({ trackerStatus: null, trackerMessage: '' });
    expect(summarizeTrackers([{ outcome: null, message: '' }])).toEqual({ trackerStatus: null, trackerMessage: '' });
    expect(summarizeTrackers([{ outcome: 'ok', message: '' }])).toEqual({ trackerStatus: 'ok', trackerMessage: '' });
    expect(
      summarizeTrackers([
        { outcome: 'ok', message: '' },
        { outcome: 'error', message: 'Connection refused' },
        { outcome: 'warning', message: 'slow down' },
      ]),
    ).toEqual({ trackerStatus: 'error', trackerMessage: 'Connection refused' });
    expect(
      summarizeTrackers([
        { outcome: 'error', message: 'Connection refused' },
        { outcome: 'error', message: 'Unregistered torrent' },
        { outcome: 'error', message: 'Timeout was reached' },
      ]),
    ).toEqual({ trackerStatus: 'unregistered', trackerMessage: 'Unregistered torrent' });
  });
});
