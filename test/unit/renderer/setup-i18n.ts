// Every mounted component gets the app's vue-i18n, in English, as main.ts installs it.
import { config } from '@vue/test-utils';
import { beforeEach } from 'vitest';
import { i18n, setLocale } from '../../../renderer/src/i18n';

config.global.plugins.push(i18n);
beforeEach(() => setLocale('en'));
