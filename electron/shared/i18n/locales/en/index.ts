// The en catalogue: one file per area of the window (and main, cli), so helpers editing
// different areas never touch the same file. Keys are '<area>.<key>'.
import common from './common.json';
import app from './app.json';
import table from './table.json';
import sidebar from './sidebar.json';
import toolbar from './toolbar.json';
import statusbar from './statusbar.json';
import menu from './menu.json';
import settings from './settings.json';
import dialogs from './dialogs.json';
import toasts from './toasts.json';
import add from './add.json';
import details from './details.json';
import editor from './editor.json';
import fetchArea from './fetch.json';
import rules from './rules.json';
import form from './form.json';
import tree from './tree.json';
import a11y from './a11y.json';
import main from './main.json';
import cli from './cli.json';

export default { common, app, table, sidebar, toolbar, statusbar, menu, settings, dialogs, toasts, add, details, editor, fetch: fetchArea, rules, form, tree, a11y, main, cli };
