// The tray icon (32x32 PNG, a down arrow on blue), inline so it needs no file next to the
// packaged app. The application icon for installers is build/icon.png (electron-builder).
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAZElEQVR42mNgGExANfn1f3rgwecAelmM0yGjDhiSDkAHow4YdcCoA0YdQBMHUAtQFAK0spykKKCF5SSnAWpbTlYipKblZOcCallOUTakhuVDvyBCdsRom3DUAUOuhzR4O6cDAQBGsDQc5DDH4AAAAABJRU5ErkJggg==';
