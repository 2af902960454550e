import { imageLabel, imageUses, matchesRegistry, parseImageRef, registryOf } from '../../core/model/images';
import type { Rule } from '../../core/rule';

export const messages = {
  untrusted: (image: string, registry: string, trusted: string[]) =>
    `Image ${image} comes from ${registry}, which is not in trustedRegistries (${trusted.join(', ')})`,
};

export const rule: Rule = {
  meta: {
    id: 'trusted-registry',
    title: 'An image comes from a registry outside the configured ones',
    severity: 'warning',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    fixable: false,
    peers: { hadolint: ['DL3026'] },
  },
  check({ file, config, report }) {
    const trusted = config.trustedRegistries.map((r) => r.trim()).filter(Boolean);
    if (trusted.length === 0) return; // only when configured
    for (const use of imageUses(file)) {
      if (use.unknown || trusted.some((entry) => matchesRegistry(use.ref, entry))) continue;
      const { registry } = registryOf(parseImageRef(use.ref).name);
      report({ ...use.span, message: messages.untrusted(imageLabel(use), registry, trusted) });
    }
  },
};
