export declare class SpeedHistory {
    readonly capacity: number;
    private readonly times;
    private readonly down;
    private readonly up;
    private start;
    private count;
    constructor(capacity: number);
    get length(): number;
    /** `time` in Unix seconds; the oldest sample drops out once full. */
    push(time: number, downRate: number, upRate: number): void;
    clear(): void;
    /** Oldest first, as uPlot's aligned data: [times, down, up]. */
    toSeries(): [number[], number[], number[]];
}
