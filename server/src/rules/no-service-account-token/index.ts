import type { ContainerSpec, PodRef } from '../../core/model/container';
import { planned } from '../../core/model/facts';
import type { Rule } from '../../core/rule';
import type { PlannedFix } from '../../core/types';

const objectName = (pod: PodRef) => `${pod.object.kind}${pod.object.name !== null ? ` '${pod.object.name}'` : ''}`;

export const messages = {
  missing: (pod: PodRef) =>
    `${objectName(pod)} mounts the default service account's API token (automountServiceAccountToken is not false): anyone who takes over a container can call the Kubernetes API with it`,
  explicit: (pod: PodRef) =>
    `${objectName(pod)} mounts the default service account's API token (automountServiceAccountToken: true): anyone who takes over a container can call the Kubernetes API with it`,
  fixTitle: 'Set automountServiceAccountToken: false (a pod that calls the Kubernetes API then needs its own ServiceAccount)',
};

export const rule: Rule = {
  meta: {
    id: 'no-service-account-token',
    title: "A pod mounts the default service account's API token",
    severity: 'info',
    platforms: ['kubernetes'],
    fixable: true,
    peers: {
      trivy: ['KSV036'],
      checkov: ['CKV_K8S_38'],
      kics: ['48471392-d4d0-47c0-b135-cdec95eb3eef'],
      kubeLinter: ['automount-service-account-token'],
    },
  },
  check({ file, report }) {
    // one finding per pod: its containers share the pod's service account and token settings
    const pods = new Map<PodRef, ContainerSpec>();
    for (const c of file.containers) if (c.pod && !pods.has(c.pod)) pods.set(c.pod, c);
    for (const [pod, c] of pods) {
      const sa = c.serviceAccount;
      const name = sa.name.value;
      if (name !== null && name !== 'default') continue;
      const token = sa.automountToken;
      if (token.value === false) continue;
      const explicit = token.value === true && token.origin === 'pod' && token.span;
      // a patch or partial object: only an explicit true counts
      if (pod.partial && !explicit) continue;
      const fixes = (): PlannedFix[] => {
        const p = token.set(false);
        return p ? [planned(p, messages.fixTitle, false)] : [];
      };
      const at = explicit ? token.span! : pod.anchor;
      report({ start: at.start, end: at.end, message: explicit ? messages.explicit(pod) : messages.missing(pod), fixes });
    }
  },
};
