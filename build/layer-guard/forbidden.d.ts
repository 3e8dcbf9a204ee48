// Layer guard (see ../shared/design.md, "Layers"). The tsconfig of a layer that may not use a
// module maps that module here, so any import of it fails the typecheck with
// "Module ... has no exported member": electron belongs to electron/main and preload only.
export type ThisLayerMayNotImportThisModule = never;
