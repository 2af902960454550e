import { hasDigest, imageLabel, imageUses } from '../../core/model/images';
import type { Rule } from '../../core/rule';

export const messages = {
  noDigest: (image: string) => `Image ${image} is not pinned by digest (@sha256:...), so the same reference can later pull different content`,
};

export const rule: Rule = {
  meta: {
    id: 'pin-image-digest',
    title: 'An image is not pinned by digest',
    severity: 'info',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    strict: true,
    fixable: false,
    peers: {
      checkov: ['CKV_K8S_43'],
      kics: ['7c81d34c-8e5a-402b-9798-9f442630e678'],
    },
  },
  check({ file, report }) {
    for (const use of imageUses(file)) {
      if (use.unknown || hasDigest(use.ref)) continue;
      report({ ...use.span, message: messages.noDigest(imageLabel(use)) });
    }
  },
};
