/** The top-level `appId:` of electron-builder.yml (a plain reverse-DNS scalar, nothing to parse beyond it). */
export declare function readAppId(builderConfigPath?: string): string;
