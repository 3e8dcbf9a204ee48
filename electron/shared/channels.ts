// The names of the contract's channels, without their schemas: the preload and the browser
// harness's shim build window.seedbox from these lists and so stay small (no zod in them).
// electron/shared/contract.ts checks at compile time that they match its schemas exactly.

export const INVOKE_CHANNELS = [
  'app:info',
  'preferences:get',
  'preferences:update',
  'window:visibility',
  'seedboxes:list',
  'seedboxes:add',
  'seedboxes:update',
  'seedboxes:remove',
  'seedboxes:reorder',
  'seedboxes:test',
  'seedboxes:setSecret',
  'seedboxes:clearSecret',
  'seedboxes:sessionPassword',
  'seedboxes:pinCertificate',
  'seedboxes:pinHostKey',
  'seedboxes:retry',
  'seedboxes:statuses',
  'torrents:subscribe',
  'torrents:details',
  'torrents:add',
  'torrents:start',
  'torrents:stop',
  'torrents:recheck',
  'torrents:reannounce',
  'torrents:remove',
  'torrents:move',
  'torrents:setLabels',
  'torrents:setFilePriority',
  'torrents:setSpeedLimits',
  'torrents:queue',
  'torrents:parseFile',
  'seedbox:setGlobalLimits',
  'seedbox:setAlternativeSpeed',
  'fetch:enqueue',
  'fetch:jobs',
  'fetch:pause',
  'fetch:resume',
  'fetch:cancel',
  'fetch:remove',
  'fetch:chooseFolder',
] as const;

export const EVENT_CHANNELS = [
  'torrents:delta',
  'seedbox:status',
  'seedboxes:changed',
  'preferences:changed',
  'app:addRequest',
  'app:showTorrent',
  'fetch:jobs',
  'fetch:progress',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
