import type { AgentView, Snapshot, WebviewMessage } from '../shared/protocol.ts';
import { element } from './dom.ts';
import { createCompletionList } from './completionList.ts';

/** The name the picker shows for the default agent (`''`). */
export const DEFAULT_AGENT_LABEL = 'Default';

/**
 * The agents the picker offers, the default first. The host lists the default agent first as `''`;
 * should it leave it out, the picker adds it, as the default can always be chosen.
 */
export function pickerAgents(agents: readonly AgentView[]): AgentView[] {
  return agents.some((agent) => agent.name === '') ? [...agents] : [{ name: '', detail: 'The system prompt in settings' }, ...agents];
}

/**
 * The agent picker before the Send button: a compact select labelled "Agent", shown only when
 * `sessionChat.agents` defines some. Choosing one tells the host (`agent/select`), which sends it
 * back as `snapshot.agent`; a message starting with `@name` still goes to that agent.
 */
export interface AgentPicker {
  readonly element: HTMLSelectElement;
  update(snapshot: Snapshot | undefined): void;
}

export function createAgentPicker(doc: Document, post: (message: WebviewMessage) => void): AgentPicker {
  const select = element(doc, 'select', 'agent-picker');
  select.setAttribute('aria-label', 'Agent');
  select.hidden = true;
  let shown = '';
  select.addEventListener('change', () => {
    post({ type: 'agent/select', name: select.value });
    describe();
  });
  const describe = (): void => {
    const option = select.selectedOptions[0];
    select.title = option ? `Agent: ${option.textContent}${option.title ? ` (${option.title})` : ''}` : 'Agent';
  };
  return {
    element: select,
    update(snapshot) {
      const agents = snapshot?.agents;
      const current = snapshot?.agent ?? '';
      const key = JSON.stringify([agents, current]);
      // Rebuilt only when the list or the choice changes, so a list the user has open stays put.
      if (key === shown) return;
      shown = key;
      select.hidden = !agents || agents.length === 0;
      const offered = pickerAgents(agents ?? []);
      // An agent no longer in settings still shows as chosen until the host says otherwise.
      if (!offered.some((agent) => agent.name === current)) offered.push({ name: current, detail: 'not in sessionChat.agents' });
      select.replaceChildren(...offered.map((agent) => {
        const option = element(doc, 'option', undefined, agent.name === '' ? DEFAULT_AGENT_LABEL : agent.name);
        option.value = agent.name;
        option.title = agent.detail;
        return option;
      }));
      select.value = current;
      describe();
    },
  };
}

/** The `@word` typed at the very start of the message, up to the cursor, if any. */
export function atQuery(text: string, cursor: number): { query: string } | undefined {
  const match = /^@([^\s@]*)$/.exec(text.slice(0, cursor));
  return match ? { query: match[1]! } : undefined;
}

/** The agents whose name matches what follows `@`: names that start with it first, then names that contain it. */
export function matchingAgents(agents: readonly AgentView[], query: string): AgentView[] {
  const wanted = query.toLowerCase();
  const named = agents.filter((agent) => agent.name !== '');
  const starts = named.filter((agent) => agent.name.toLowerCase().startsWith(wanted));
  return [...starts, ...named.filter((agent) => !starts.includes(agent) && agent.name.toLowerCase().includes(wanted))];
}

/**
 * `@` at the very start of the message offers the agents: Enter or Tab puts `@name ` in the box.
 * The text is sent as typed; the host reads the `@name` and sends the message to that agent.
 */
export function wireAgentCompletion(doc: Document, textarea: HTMLTextAreaElement, slot: HTMLElement, agents: () => readonly AgentView[] | undefined): void {
  const list = createCompletionList(doc, textarea, slot, {
    className: 'agent-completion',
    label: 'Agents',
    id: 'agent-completion',
    choose(name) {
      const cursor = textarea.selectionStart;
      if (!atQuery(textarea.value, cursor)) return;
      const rest = textarea.value.slice(cursor).replace(/^[^\S\n]+/, '');
      const inserted = `@${name} `;
      textarea.value = inserted + rest;
      textarea.selectionStart = textarea.selectionEnd = inserted.length;
      textarea.dispatchEvent(new (doc.defaultView?.Event ?? Event)('input'));
    },
  });
  textarea.addEventListener('input', () => {
    const typed = atQuery(textarea.value, textarea.selectionStart);
    const known = agents();
    if (!typed || !known) return list.close();
    list.open(matchingAgents(known, typed.query).map((agent) => ({ value: agent.name, label: `@${agent.name}`, detail: agent.detail })));
  });
}
