import assert from 'node:assert/strict';
import { it } from 'node:test';
import { validateBlocks } from '../../../src/sandbox/slack/block-kit.js';

const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });

it('accepts messages at Slack\'s limits and names each violation with a JSON pointer', () => {
  assert.deepEqual(validateBlocks(Array.from({ length: 50 }, () => section('a'.repeat(3000)))), []);
  assert.deepEqual(validateBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' }))), ['no more than 50 items allowed [json-pointer:/blocks]']);
  assert.deepEqual(validateBlocks([section('a'.repeat(3001))]), ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
  assert.deepEqual(validateBlocks([{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }]), ['no more than 10 items allowed [json-pointer:/blocks/0/fields]']);
  assert.deepEqual(validateBlocks([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]), ['must be less than 151 characters [json-pointer:/blocks/0/text/text]']);
  assert.deepEqual(validateBlocks([{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }]), ['no more than 10 items allowed [json-pointer:/blocks/0/elements]']);
  assert.deepEqual(validateBlocks([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => ({ type: 'button', action_id: `a${i}`, text: { type: 'plain_text', text: 'b' } })) }]), ['no more than 25 items allowed [json-pointer:/blocks/0/elements]']);
  assert.deepEqual(validateBlocks([{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b' }, value: 'v'.repeat(2001) }] }]), ['must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]']);
  assert.deepEqual(validateBlocks([section('x', { block_id: 'same' }), section('y', { block_id: 'same' })]), ['block_id must be unique: "same" [json-pointer:/blocks/1/block_id]']);
  assert.deepEqual(validateBlocks([{ type: 'banner' }]), ['must be a valid enum value [json-pointer:/blocks/0/type]']);
  assert.deepEqual(validateBlocks([{ type: 'section' }]), ['must contain either text or fields [json-pointer:/blocks/0]']);
  assert.deepEqual(validateBlocks([section('')]), ['must be more than 0 characters [json-pointer:/blocks/0/text/text]']);
  assert.deepEqual(validateBlocks('[]'), ['must provide an array [json-pointer:/blocks]']);
});
