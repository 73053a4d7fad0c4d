import { describe, expect, it } from 'vitest';
import { imageRepository, imageTag, toolchainFor } from './images.ts';

describe('the image → toolchain table', () => {
  it('maps python images (any registry, any tag) onto a venv per reference, with the version the tag asks for', () => {
    expect(toolchainFor('python:3.11')).toEqual({ kind: 'python', ref: 'python:3.11', version: '3.11' });
    expect(toolchainFor('docker.io/library/python:3.12.1-slim')).toMatchObject({
      kind: 'python',
      version: '3.12',
    });
    expect(toolchainFor('python:3-alpine')).toMatchObject({ kind: 'python', version: '3' });
    expect(toolchainFor('cimg/python:3.10')).toMatchObject({ kind: 'python', version: '3.10' });
    expect(toolchainFor('python')).toEqual({ kind: 'python', ref: 'python' });
    expect(toolchainFor('python@sha256:' + 'a'.repeat(64))).toMatchObject({ kind: 'python' });
  });

  it('maps shells, node, the Cloud SDK and cloud builders', () => {
    expect(toolchainFor('alpine:3.20')).toEqual({ kind: 'shell', shell: 'sh' });
    expect(toolchainFor('busybox')).toEqual({ kind: 'shell', shell: 'sh' });
    expect(toolchainFor('ubuntu:24.04')).toEqual({ kind: 'shell', shell: 'bash' });
    expect(toolchainFor('debian:bookworm')).toEqual({ kind: 'shell', shell: 'bash' });
    expect(toolchainFor('bash:5.2')).toEqual({ kind: 'shell', shell: 'bash' });
    expect(toolchainFor('node:24-slim')).toEqual({ kind: 'node' });
    expect(toolchainFor('google/cloud-sdk:slim')).toEqual({ kind: 'cloud-sdk' });
    expect(toolchainFor('gcr.io/google.com/cloudsdktool/google-cloud-cli:stable')).toEqual({
      kind: 'cloud-sdk',
    });
    expect(toolchainFor('gcr.io/google.com/cloudsdktool/cloud-sdk')).toEqual({ kind: 'cloud-sdk' });
    expect(toolchainFor('gcr.io/cloud-builders/git')).toEqual({ kind: 'cloud-builder', tool: 'git' });
  });

  it('has no entry for other images (they must be in the local image store)', () => {
    expect(toolchainFor('us-docker.pkg.dev/p/r/trainer:abc')).toBeUndefined();
    expect(toolchainFor('tensorflow/tensorflow:2.15.0')).toBeUndefined();
    expect(toolchainFor('local/python-tools:1')).toBeUndefined();
  });

  it('splits references', () => {
    expect(imageRepository('mirror.gcr.io/library/node:24')).toBe('node');
    expect(imageRepository('localhost:5000/team/app:1')).toBe('localhost:5000/team/app');
    expect(imageTag('localhost:5000/team/app')).toBeUndefined();
    expect(imageTag('python:3.11-slim@sha256:abc')).toBe('3.11-slim');
  });
});
