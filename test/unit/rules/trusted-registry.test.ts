import { testRule } from '../../helpers/testRule';

const untrusted = (image: string, registry: string, trusted: string) =>
  `Image ${image} comes from ${registry}, which is not in trustedRegistries (${trusted})`;
const trusted = (...trustedRegistries: string[]) => ({ trustedRegistries });

testRule('trusted-registry', {
  accept: [
    { name: 'not configured: the rule does not run', code: 'FROM evil.example.com/app:1\n', config: { trustedRegistries: [] } },
    { name: 'host', code: 'FROM registry.example.com/team/app:1\n', config: trusted('registry.example.com') },
    { name: 'host in another case', code: 'FROM Registry.Example.com/app:1\n', config: trusted('registry.example.com') },
    { name: 'host with a scheme and a trailing slash', code: 'FROM registry.example.com/app:1\n', config: trusted('https://registry.example.com/') },
    { name: 'path prefix', code: 'FROM ghcr.io/myorg/app:1\n', config: trusted('ghcr.io/myorg') },
    { name: 'path prefix with /*', code: 'FROM ghcr.io/myorg/tools/app:1\n', config: trusted('ghcr.io/myorg/*') },
    { name: 'docker.io covers bare names', code: 'FROM node:20\n', config: trusted('docker.io') },
    { name: 'docker.io/library covers official images', code: 'FROM node:20\nFROM library/alpine:3\nFROM docker.io/library/debian:12\n', config: trusted('docker.io/library') },
    { name: 'index.docker.io is docker.io', code: 'FROM index.docker.io/library/node:20\n', config: trusted('docker.io') },
    { name: 'a bare namespace means Docker Hub', code: 'FROM bitnami/redis:7\n', config: trusted('bitnami') },
    { name: 'host with a port', code: 'FROM localhost:5000/app:1\n', config: trusted('localhost:5000') },
    { name: 'wildcard host', code: 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1\n', config: trusted('*.dkr.ecr.*.amazonaws.com') },
    { name: 'scratch and stage names are not pulled', code: 'FROM scratch AS a\nFROM a\n', config: trusted('registry.example.com') },
    { name: 'unknown ARG', code: 'ARG REGISTRY\nFROM ${REGISTRY}/app:1\n', config: trusted('registry.example.com') },
    { name: 'ARG default resolves into a trusted registry', code: 'ARG REGISTRY=registry.example.com\nFROM ${REGISTRY}/app:1\n', config: trusted('registry.example.com') },
    { name: 'Compose: build: names the result', path: 'compose.yaml', code: 'services:\n  app:\n    build: .\n    image: me/app:1\n', config: trusted('registry.example.com') },
  ],
  reject: [
    {
      name: 'Docker Hub image outside the list',
      code: 'FROM node:20\n',
      config: trusted('registry.example.com'),
      message: untrusted("'node:20'", 'docker.io', 'registry.example.com'),
      range: { start: [0, 5], end: [0, 12] },
      severity: 'warning',
      fixes: [],
    },
    {
      name: 'a path prefix matches whole segments only',
      code: 'FROM ghcr.io/myorg2/app:1\n',
      config: trusted('ghcr.io/myorg'),
      message: untrusted("'ghcr.io/myorg2/app:1'", 'ghcr.io', 'ghcr.io/myorg'),
      range: { start: [0, 5], end: [0, 25] },
    },
    {
      name: 'docker.io/library does not cover other Hub namespaces',
      code: 'FROM bitnami/redis:7\n',
      config: trusted('docker.io/library'),
      message: untrusted("'bitnami/redis:7'", 'docker.io', 'docker.io/library'),
      range: { start: [0, 5], end: [0, 20] },
    },
    {
      name: 'a look-alike host',
      code: 'FROM registry.example.com.evil.io/app:1\n',
      config: trusted('registry.example.com', 'ghcr.io/myorg'),
      message: untrusted("'registry.example.com.evil.io/app:1'", 'registry.example.com.evil.io', 'registry.example.com, ghcr.io/myorg'),
      range: { start: [0, 5], end: [0, 39] },
    },
    {
      name: 'builder stages count too',
      code: 'FROM golang:1.22 AS build\nFROM registry.example.com/base:1\n',
      config: trusted('registry.example.com'),
      message: untrusted("'golang:1.22'", 'docker.io', 'registry.example.com'),
      range: { start: [0, 5], end: [0, 16] },
    },
    {
      name: 'ARG default',
      code: 'ARG BASE=quay.io/org/app:1\nFROM $BASE\n',
      config: trusted('registry.example.com'),
      message: untrusted("'quay.io/org/app:1' (written '$BASE')", 'quay.io', 'registry.example.com'),
      range: { start: [1, 5], end: [1, 10] },
    },
    {
      name: 'Compose',
      path: 'compose.yaml',
      code: 'services:\n  web:\n    image: nginx:1.27\n',
      config: trusted('registry.example.com'),
      message: untrusted("'nginx:1.27' of service 'web'", 'docker.io', 'registry.example.com'),
      range: { start: [2, 11], end: [2, 21] },
    },
    {
      name: 'Kubernetes',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: quay.io/org/app:1\n',
      config: trusted('registry.example.com'),
      message: untrusted("'quay.io/org/app:1' of container 'app'", 'quay.io', 'registry.example.com'),
      range: { start: [7, 13], end: [7, 30] },
    },
  ],
});
