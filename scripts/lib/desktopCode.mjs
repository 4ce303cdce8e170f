// How `npm start` runs a desktop VS Code without touching the user's own: the VSIX goes into a profile of
// its own (user data and extensions under the git-ignored .vscode-test/), and the window opens on that
// profile. The user's settings, extensions and open windows stay as they were.
import path from 'node:path';

/**
 * The `code` command lines, in order: install the VSIX into the scratch profile, then open a window on it.
 * @param {object} options
 * @param {string} options.vsix the packaged extension
 * @param {string} options.profileDir folder holding the scratch profile (under .vscode-test/)
 * @param {string} [options.folder] what to open
 * @returns {string[][]} argument lists for `code`
 */
export function desktopCodeCommands({ vsix, profileDir, folder }) {
  const profile = ['--user-data-dir', path.join(profileDir, 'user-data'), '--extensions-dir', path.join(profileDir, 'extensions')];
  return [
    [...profile, '--install-extension', vsix, '--force'],
    // --new-window: a VS Code already running on this profile opens another window instead of reusing one.
    [...profile, '--new-window', ...(folder ? [folder] : [])],
  ];
}
