// How deep a value from a daemon may nest, one bound for every codec (XML-RPC, JSON-RPC, JSON,
// rencode) and for the walks over decoded answers: nothing a daemon sends us nests beyond a few
// levels (Transmission's trackerStats sit at depth 6), and a bound keeps every recursive walk
// far from the stack's limit.
export const MAX_VALUE_DEPTH = 64;
