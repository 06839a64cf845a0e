import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertKey, tokenize } from '../../../src/knowledge/text/tokenize.js';

describe('tokenize', () => {
  it('splits alert names at camel-case and acronym boundaries and keeps the whole name', () => {
    assert.deepEqual(tokenize('KubePodNotReady'), ['kubepodnotready', 'kube', 'pod', 'not', 'readi']);
    assert.deepEqual(tokenize('OVNKubernetesNorthdInactive').slice(1), ['ovn', 'kubernet', 'northd', 'inact']);
    assert.deepEqual(tokenize('etcdHighFsyncDurations').slice(1), ['etcd', 'high', 'fsync', 'durat']);
  });

  it('stems so that failed, failing and fails are one term', () => {
    assert.deepEqual(tokenize('failed failing fails'), ['fail', 'fail', 'fail']);
  });

  it('drops stop words, numbers and ids such as pod hashes and devices, but keeps short technical names', () => {
    assert.deepEqual(tokenize('the pod router-default-6d8f9c7b5-kq2xz on nvme0n1p1 used 93% of 2048 k8s md0 sha256'), ['pod', 'router', 'default', 'k8', 'md0', 'sha256']);
  });

  it('treats alert names equal whatever their case and separators', () => {
    assert.equal(alertKey('Kube-Pod_NotReady'), alertKey('kubepodnotready'));
    assert.notEqual(alertKey('KubePodNotReady'), alertKey('KubePodReady'));
  });
});
