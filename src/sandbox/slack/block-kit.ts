/**
 * Block Kit validation with Slack's limits and Slack's error wording
 * (`[json-pointer:/blocks/0/text/text]`). Covers the blocks and elements pitcrew
 * sends; unknown block types are refused, as Slack refuses them.
 */

export const MESSAGE_BLOCK_LIMIT = 50;
export const VIEW_BLOCK_LIMIT = 100;

type Json = Record<string, unknown>;

const BLOCK_TYPES = new Set(['section', 'divider', 'image', 'actions', 'context', 'header', 'input', 'rich_text', 'file', 'video', 'markdown']);
const ELEMENT_TYPES = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'email_text_input', 'image', 'multi_static_select', 'multi_users_select', 'multi_conversations_select',
  'multi_channels_select', 'multi_external_select', 'number_input', 'overflow', 'plain_text_input', 'radio_buttons', 'rich_text_input', 'static_select',
  'external_select', 'users_select', 'conversations_select', 'channels_select', 'timepicker', 'url_text_input', 'workflow_button',
]);

class Problems {
  readonly list: string[] = [];

  add(pointer: string, message: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(problems: Problems, value: unknown, pointer: string, options: { max: number; plainOnly?: boolean; required?: boolean }): void {
  if (value === undefined) {
    if (options.required) problems.add(pointer, 'must provide an object');
    return;
  }
  if (!isObject(value)) return problems.add(pointer, 'must provide an object');
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return problems.add(`${pointer}/type`, 'must be a valid enum value');
  if (options.plainOnly && value.type !== 'plain_text') return problems.add(`${pointer}/type`, 'must be a valid enum value');
  if (typeof value.text !== 'string') return problems.add(`${pointer}/text`, 'must be a string');
  if (value.text.length === 0) return problems.add(`${pointer}/text`, 'must be more than 0 characters');
  if (value.text.length > options.max) problems.add(`${pointer}/text`, `must be less than ${options.max + 1} characters`);
}

function maxLength(problems: Problems, value: unknown, pointer: string, max: number): void {
  if (typeof value === 'string' && value.length > max) problems.add(pointer, `must be less than ${max + 1} characters`);
}

function element(problems: Problems, value: unknown, pointer: string, ids: Set<string>): void {
  if (!isObject(value)) return problems.add(pointer, 'must provide an object');
  if (typeof value.type !== 'string' || !ELEMENT_TYPES.has(value.type)) return problems.add(`${pointer}/type`, 'must be a valid enum value');
  if (typeof value.action_id === 'string') {
    maxLength(problems, value.action_id, `${pointer}/action_id`, 255);
    if (ids.has(value.action_id)) problems.add(`${pointer}/action_id`, `action_id must be unique within the block: "${value.action_id}"`);
    ids.add(value.action_id);
  }
  if (value.type === 'button') {
    text(problems, value.text, `${pointer}/text`, { max: 75, plainOnly: true, required: true });
    maxLength(problems, value.value, `${pointer}/value`, 2000);
    maxLength(problems, value.url, `${pointer}/url`, 3000);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') problems.add(`${pointer}/style`, 'must be a valid enum value');
  }
  if (value.type === 'image') {
    maxLength(problems, value.image_url, `${pointer}/image_url`, 3000);
    maxLength(problems, value.alt_text, `${pointer}/alt_text`, 2000);
  }
  if (Array.isArray(value.options) && value.options.length > 100) problems.add(`${pointer}/options`, 'no more than 100 items allowed');
}

function block(problems: Problems, value: unknown, pointer: string, blockIds: Set<string>): void {
  if (!isObject(value)) return problems.add(pointer, 'must provide an object');
  if (typeof value.type !== 'string' || !BLOCK_TYPES.has(value.type)) return problems.add(`${pointer}/type`, 'must be a valid enum value');
  if (value.block_id !== undefined) {
    if (typeof value.block_id !== 'string') problems.add(`${pointer}/block_id`, 'must be a string');
    else {
      maxLength(problems, value.block_id, `${pointer}/block_id`, 255);
      if (blockIds.has(value.block_id)) problems.add(`${pointer}/block_id`, `block_id must be unique: "${value.block_id}"`);
      blockIds.add(value.block_id);
    }
  }
  const ids = new Set<string>();
  switch (value.type) {
    case 'section': {
      if (value.text === undefined && value.fields === undefined) problems.add(pointer, 'must contain either text or fields');
      text(problems, value.text, `${pointer}/text`, { max: 3000 });
      if (value.fields !== undefined) {
        if (!Array.isArray(value.fields)) problems.add(`${pointer}/fields`, 'must provide an array');
        else {
          if (value.fields.length > 10) problems.add(`${pointer}/fields`, 'no more than 10 items allowed');
          value.fields.forEach((field, index) => text(problems, field, `${pointer}/fields/${index}`, { max: 2000 }));
        }
      }
      if (value.accessory !== undefined) element(problems, value.accessory, `${pointer}/accessory`, ids);
      break;
    }
    case 'header':
      text(problems, value.text, `${pointer}/text`, { max: 150, plainOnly: true, required: true });
      break;
    case 'context': {
      if (!Array.isArray(value.elements) || value.elements.length === 0) return problems.add(`${pointer}/elements`, 'must provide an array with at least 1 item');
      if (value.elements.length > 10) problems.add(`${pointer}/elements`, 'no more than 10 items allowed');
      value.elements.forEach((item, index) => {
        const path = `${pointer}/elements/${index}`;
        if (isObject(item) && item.type === 'image') maxLength(problems, item.image_url, `${path}/image_url`, 3000);
        else text(problems, item, path, { max: 3000, required: true });
      });
      break;
    }
    case 'actions': {
      if (!Array.isArray(value.elements) || value.elements.length === 0) return problems.add(`${pointer}/elements`, 'must provide an array with at least 1 item');
      if (value.elements.length > 25) problems.add(`${pointer}/elements`, 'no more than 25 items allowed');
      value.elements.forEach((item, index) => element(problems, item, `${pointer}/elements/${index}`, ids));
      break;
    }
    case 'image':
      if (typeof value.image_url !== 'string' && !isObject(value.slack_file)) problems.add(`${pointer}/image_url`, 'must provide a string');
      maxLength(problems, value.image_url, `${pointer}/image_url`, 3000);
      if (typeof value.alt_text !== 'string') problems.add(`${pointer}/alt_text`, 'must provide a string');
      maxLength(problems, value.alt_text, `${pointer}/alt_text`, 2000);
      text(problems, value.title, `${pointer}/title`, { max: 2000, plainOnly: true });
      break;
    case 'input':
      text(problems, value.label, `${pointer}/label`, { max: 2000, plainOnly: true, required: true });
      if (value.element === undefined) problems.add(`${pointer}/element`, 'must provide an object');
      else element(problems, value.element, `${pointer}/element`, ids);
      text(problems, value.hint, `${pointer}/hint`, { max: 2000, plainOnly: true });
      break;
    case 'markdown':
      if (typeof value.text !== 'string' || value.text.length === 0) problems.add(`${pointer}/text`, 'must be more than 0 characters');
      else maxLength(problems, value.text, `${pointer}/text`, 12_000);
      break;
    case 'rich_text':
      if (!Array.isArray(value.elements)) problems.add(`${pointer}/elements`, 'must provide an array');
      break;
    default:
      break;
  }
}

/** Problems with `blocks` (empty when valid), each as Slack words it. */
export function validateBlocks(blocks: unknown, limit = MESSAGE_BLOCK_LIMIT): string[] {
  const problems = new Problems();
  if (!Array.isArray(blocks)) {
    problems.add('/blocks', 'must provide an array');
    return problems.list;
  }
  if (blocks.length > limit) problems.add('/blocks', `no more than ${limit} items allowed`);
  const blockIds = new Set<string>();
  blocks.forEach((item, index) => block(problems, item, `/blocks/${index}`, blockIds));
  return problems.list;
}
