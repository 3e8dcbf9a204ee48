import { SeedboxError } from '../../../shared/errors';
import type {
  AddOptions,
  AddSource,
  ClientEvent,
  ClientInfo,
  FilePriority,
  QueueMove,
  SessionStats,
  SpeedLimits,
  Torrent,
  TorrentDetails,
} from '../../../shared/model';
import type { ConnectionSettings } from '../factory';
import type { TorrentClient } from '../types';

// Placeholder until the qBittorrent client lands: every call says so plainly.
export class QbittorrentClient implements TorrentClient {
  constructor(readonly settings: ConnectionSettings) {}

  private notYet(): never {
    throw new SeedboxError('unsupported', 'The qBittorrent client is not available in this version yet.');
  }

  async connect(): Promise<ClientInfo> {
    return this.notYet();
  }
  async close(): Promise<void> {}
  async list(): Promise<Torrent[]> {
    return this.notYet();
  }
  async details(_id: string): Promise<TorrentDetails> {
    return this.notYet();
  }
  async add(_source: AddSource, _options?: AddOptions): Promise<string> {
    return this.notYet();
  }
  async start(_ids: string[]): Promise<void> {
    this.notYet();
  }
  async stop(_ids: string[]): Promise<void> {
    this.notYet();
  }
  async recheck(_ids: string[]): Promise<void> {
    this.notYet();
  }
  async reannounce(_ids: string[]): Promise<void> {
    this.notYet();
  }
  async remove(_ids: string[], _options: { deleteData: boolean }): Promise<void> {
    this.notYet();
  }
  async move(_ids: string[], _targetDirectory: string): Promise<void> {
    this.notYet();
  }
  async setLabels(_ids: string[], _labels: string[]): Promise<void> {
    this.notYet();
  }
  async setFilePriority(_id: string, _fileIndexes: number[], _priority: FilePriority): Promise<void> {
    this.notYet();
  }
  async getGlobalSpeedLimits(): Promise<SpeedLimits> {
    return this.notYet();
  }
  async setGlobalSpeedLimits(_limits: SpeedLimits): Promise<void> {
    this.notYet();
  }
  async setTorrentSpeedLimits(_ids: string[], _limits: SpeedLimits): Promise<void> {
    this.notYet();
  }
  async moveInQueue(_ids: string[], _move: QueueMove): Promise<void> {
    this.notYet();
  }
  async setAlternativeSpeed(_enabled: boolean): Promise<void> {
    this.notYet();
  }
  async sessionStats(): Promise<SessionStats> {
    return this.notYet();
  }
  subscribe(_listener: (event: ClientEvent) => void): () => void {
    return () => undefined;
  }
}
