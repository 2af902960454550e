import { imageLabel, imageUses, unpinnedReason } from '../../core/model/images';
import type { Rule } from '../../core/rule';

export const messages = {
  untagged: (image: string) => `Image ${image} has no tag, so it pulls ':latest', which changes with every release`,
  latest: (image: string) => `Image ${image} uses ':latest', which changes with every release`,
};

export const rule: Rule = {
  meta: {
    id: 'pin-image-version',
    title: 'An image is not pinned to a version',
    severity: 'warning',
    platforms: ['dockerfile', 'compose', 'kubernetes'],
    fixable: false,
    peers: {
      hadolint: ['DL3006', 'DL3007'],
      trivy: ['DS001', 'KSV013'],
      checkov: ['CKV_DOCKER_7', 'CKV_K8S_14'],
      kics: ['9efb0b2d-89c9-41a3-91ca-dcc0aec911fd', 'f45ea400-6bbe-4501-9fc7-1c3d75c32067', '583053b7-e632-46f0-b989-f81ff8045385'],
      kubeLinter: ['latest-tag'],
    },
  },
  check({ file, report }) {
    // Every FROM counts, not only the final stage: each base image is pulled by the build.
    // No fix: choosing a version is the user's call.
    for (const use of imageUses(file)) {
      if (use.unknown) continue;
      const why = unpinnedReason(use.ref);
      if (why) report({ ...use.span, message: messages[why](imageLabel(use)) });
    }
  },
};
