import type { SetupDetected, SetupView } from '../shared/protocol.ts';
import { codicon, element, textButton } from './dom.ts';
import type { Requests } from './requests.ts';

export interface SetupCardOptions {
  doc: Document;
  requests: Requests;
  newId(): string;
  /** The settings were written: the message box takes the cursor. */
  onApplied(): void;
}

/** The "Set up a model" card: kept across renders, so what the user typed in it survives snapshots. */
export interface SetupCard {
  readonly element: HTMLElement;
  /** Shows the card for `setup` (undefined: an error that setup fixes); looks for local servers the first time. */
  show(setup: SetupView | undefined): void;
  /** Puts the cursor in the card (the error's "Choose a Model Server" button). */
  focus(): void;
}

/** The wire API a server most likely speaks: OpenAI and Azure the Responses API, the rest Chat Completions. */
export function guessWireApi(baseUrl: string): 'responses' | 'chat-completions' {
  try {
    return /(^|\.)(openai\.com|openai\.azure\.com)$/i.test(new URL(baseUrl.trim()).hostname) ? 'responses' : 'chat-completions';
  } catch {
    return 'chat-completions';
  }
}

function reasonText(setup: SetupView | undefined): string {
  switch (setup?.reason) {
    case 'notChosen':
      return 'Session Chat needs a model to answer. Use a server running on this computer, or any OpenAI-compatible server (OpenAI, Azure, vLLM, OpenRouter).';
    case 'noKey':
      return `The server at ${setup.baseUrl} needs an API key, and none is saved for it. Enter one, or choose another server.`;
    case 'unreachable':
      return `The server at ${setup.baseUrl} does not answer. Start it, or choose another server.`;
    case 'noVscodeModel':
      return "Settings choose a VS Code model, and VS Code has none. Install or sign in to an extension that provides models (such as GitHub Copilot), or choose a server.";
    default:
      return 'Choose the server and model your messages go to.';
  }
}

function labelled(doc: Document, text: string, control: HTMLElement): HTMLLabelElement {
  const label = element(doc, 'label', 'setup-field');
  label.append(element(doc, 'span', 'setup-label', text), control);
  return label;
}

export function createSetupCard(options: SetupCardOptions): SetupCard {
  const { doc, requests, newId } = options;
  const card = element(doc, 'section', 'setup-card');
  card.setAttribute('aria-labelledby', 'setup-title');
  const title = element(doc, 'h2', 'setup-title');
  title.id = 'setup-title';
  title.append(codicon(doc, 'sparkle'), element(doc, 'span', undefined, 'Set up a model'));
  const reason = element(doc, 'p', 'setup-reason');

  // VS Code's own models (Copilot, other extensions' models): no key, no server. Shown only when there are some.
  const editor = element(doc, 'div', 'setup-choice');
  editor.setAttribute('role', 'group');
  editor.setAttribute('aria-label', 'VS Code model');
  editor.hidden = true;
  const editorPick = element(doc, 'select', 'setup-input');
  editorPick.setAttribute('aria-label', 'VS Code model');
  const useEditor = textButton(doc, 'check', 'Use This Model', () => void useVscodeModel(editorPick.value), 'text-button primary');
  const editorRow = element(doc, 'div', 'setup-row');
  editorRow.append(editorPick, useEditor);
  const editorStatus = element(doc, 'p', 'setup-note');
  // Announced as it changes; the card's one status role stays the server's.
  editorStatus.setAttribute('aria-live', 'polite');
  editor.append(element(doc, 'h3', 'setup-heading', 'VS Code model'), element(doc, 'p', 'setup-note', 'A model VS Code already has, from Copilot or another extension. No key needed; VS Code may ask you to allow Session Chat to use it.'), editorRow, editorStatus);

  // Local servers (Ollama, LM Studio): found by the host's probe, each offered with its models.
  const local = element(doc, 'div', 'setup-choice');
  local.setAttribute('role', 'group');
  local.setAttribute('aria-label', 'Local server');
  const localRows = element(doc, 'div', 'setup-local');
  const again = textButton(doc, 'refresh', 'Look Again', () => detect());
  local.append(element(doc, 'h3', 'setup-heading', 'Local server'), localRows, again);

  // Any OpenAI-compatible server: base URL, a model from its list (or typed), the wire API, a key.
  const remote = element(doc, 'div', 'setup-choice');
  remote.setAttribute('role', 'group');
  remote.setAttribute('aria-label', 'OpenAI-compatible server');
  const baseUrl = element(doc, 'input', 'setup-input');
  baseUrl.type = 'url';
  baseUrl.value = 'https://api.openai.com/v1';
  baseUrl.spellcheck = false;
  const list = textButton(doc, 'list-unordered', 'List Models', () => void listModels());
  const model = element(doc, 'input', 'setup-input');
  model.spellcheck = false;
  model.placeholder = 'Pick from the list or type a name';
  const models = element(doc, 'datalist');
  models.id = 'setup-models';
  model.setAttribute('list', models.id);
  const api = element(doc, 'select', 'setup-input');
  for (const [value, text] of [['responses', 'Responses'], ['chat-completions', 'Chat Completions']] as const) {
    const option = element(doc, 'option', undefined, text);
    option.value = value;
    api.append(option);
  }
  let apiTouched = false;
  api.value = guessWireApi(baseUrl.value);
  api.addEventListener('change', () => (apiTouched = true));
  baseUrl.addEventListener('input', () => {
    if (!apiTouched) api.value = guessWireApi(baseUrl.value);
  });
  const status = element(doc, 'p', 'setup-status');
  status.setAttribute('role', 'status');
  const enterKey = textButton(doc, 'key', 'Enter API Key…', () => void askKey());
  const use = textButton(doc, 'check', 'Use This Server', () => void apply(baseUrl.value, model.value, api.value === 'responses' ? 'responses' : 'chat-completions'), 'text-button primary');
  const urlRow = element(doc, 'div', 'setup-row');
  urlRow.append(labelled(doc, 'Base URL', baseUrl), list);
  const modelRow = element(doc, 'div', 'setup-row');
  modelRow.append(labelled(doc, 'Model', model), labelled(doc, 'Wire API', api), models);
  const buttons = element(doc, 'div', 'setup-row');
  buttons.append(use, enterKey);
  remote.append(element(doc, 'h3', 'setup-heading', 'OpenAI-compatible server'), urlRow, modelRow, status, buttons);
  card.append(title, reason, editor, local, remote);

  let detected = false;
  const say = (text: string): void => void (status.textContent = text);

  const detect = (): void => {
    detected = true;
    localRows.replaceChildren(element(doc, 'p', 'setup-note', 'Looking for Ollama and LM Studio on this computer…'));
    requests.send({ type: 'setup/detect', id: newId() }).then(showLocal, () => localRows.replaceChildren(element(doc, 'p', 'setup-note', 'Could not look for local servers.')));
  };

  const showLocal = ({ servers, vscodeModels = [] }: SetupDetected): void => {
    editor.hidden = vscodeModels.length === 0;
    editorPick.replaceChildren(...vscodeModels.map((model) => Object.assign(element(doc, 'option', undefined, `${model.name} (${model.description})`), { value: model.id })));
    if (servers.length === 0) {
      localRows.replaceChildren(element(doc, 'p', 'setup-note', 'No local server answers (Ollama on 127.0.0.1:11434, LM Studio on 127.0.0.1:1234). Start one, then look again.'));
      return;
    }
    localRows.replaceChildren(
      ...servers.map((server) => {
        const row = element(doc, 'div', 'setup-row');
        const pick = element(doc, 'select', 'setup-input');
        pick.setAttribute('aria-label', `${server.name} model`);
        for (const name of server.models) pick.append(Object.assign(element(doc, 'option', undefined, name), { value: name }));
        const useLocal = textButton(doc, 'check', `Use ${server.name}`, () => void apply(server.baseUrl, pick.value, 'chat-completions'));
        useLocal.disabled = server.models.length === 0;
        const where = element(doc, 'span', 'setup-server', `${server.name} at ${server.baseUrl}`);
        row.append(where, ...(server.models.length > 0 ? [pick] : [element(doc, 'span', 'setup-note', 'no model yet: pull or load one first')]), useLocal);
        return row;
      }),
    );
  };

  const listModels = async (): Promise<void> => {
    say('Asking the server for its models…');
    try {
      const reply = await requests.send({ type: 'setup/listModels', id: newId(), baseUrl: baseUrl.value });
      models.replaceChildren(...reply.models.map((name) => Object.assign(element(doc, 'option'), { value: name })));
      if (reply.problem) {
        say(reply.problem.message);
        if (reply.problem.kind === 'needsKey') enterKey.focus();
        return;
      }
      if (reply.models.length > 0 && !reply.models.includes(model.value.trim())) model.value = reply.models[0] ?? '';
      say(`${reply.models.length} models.${reply.hasKey ? ' A key is saved for this server.' : ''}`);
    } catch {
      say('Could not list the models.');
    }
  };

  const askKey = async (): Promise<void> => {
    try {
      const reply = await requests.send({ type: 'setup/enterKey', id: newId(), baseUrl: baseUrl.value });
      if (reply.done) await listModels();
    } catch {
      say('Could not save the key.');
    }
  };

  const useVscodeModel = async (id: string): Promise<void> => {
    if (!id) return;
    editorStatus.textContent = 'Saving…';
    try {
      const reply = await requests.send({ type: 'setup/useVscodeModel', id: newId(), model: id });
      if (reply.done) {
        editorStatus.textContent = `Using ${editorPick.selectedOptions[0]?.textContent ?? id}.`;
        options.onApplied();
      }
    } catch {
      editorStatus.textContent = 'Could not write the settings.';
    }
  };

  const apply = async (url: string, name: string, wire: 'responses' | 'chat-completions'): Promise<void> => {
    if (!url.trim() || !name.trim()) return say(url.trim() ? 'Choose or type a model first.' : 'Type the base URL first.');
    say('Saving…');
    try {
      const reply = await requests.send({ type: 'setup/apply', id: newId(), baseUrl: url, model: name, api: wire });
      if (reply.done) {
        say(`Using ${name.trim()}.`);
        options.onApplied();
      }
    } catch {
      say('Could not write the settings.');
    }
  };

  let shownFor: string | undefined;
  return {
    element: card,
    show(setup) {
      reason.textContent = reasonText(setup);
      // The server in settings is the one to fix, unless the user is already typing another.
      const key = setup?.baseUrl;
      if (key && key !== shownFor && doc.activeElement !== baseUrl) {
        baseUrl.value = key;
        if (!apiTouched) api.value = guessWireApi(key);
      }
      shownFor = key;
      if (!detected) detect();
    },
    focus() {
      card.scrollIntoView?.({ block: 'nearest' });
      baseUrl.focus();
    },
  };
}
