;;; readme-check.el --- the README's eglot line, as written, manages a Dockerfile buffer  -*- lexical-binding: t -*-
;; Run by test/e2e/readme.mjs:  emacs --batch -Q -l readme-check.el <readme-line.el> <Dockerfile>
;; readme-line.el is the README's elisp block with the server path filled in. The modes it names
;; come from packages (dockerfile-mode, yaml-mode) that this machine lacks: a stand-in
;; dockerfile-mode is defined, as installing the package would. Prints PASS or FAIL <why>.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'cl-lib)
(defun bh-out (s) (princ (concat s "\n") #'external-debugging-output))
(let* ((line-file (nth 0 command-line-args-left))
       (file (nth 1 command-line-args-left))
       (deadline (+ (float-time) 20))
       (result
        (catch 'fail
          (load line-file nil t)
          (require 'eglot)
          (unless (fboundp 'dockerfile-mode) (define-derived-mode dockerfile-mode prog-mode "Dockerfile"))
          (unless (eglot--lookup-mode 'dockerfile-mode) (throw 'fail "eglot-server-programs has no entry for dockerfile-mode"))
          (find-file file)
          (dockerfile-mode)
          (apply #'eglot (eglot--guess-contact))
          (while (and (< (float-time) deadline) (not (and eglot--managed-mode (flymake-diagnostics))))
            (accept-process-output nil 0.05))
          (unless eglot--managed-mode (throw 'fail "eglot does not manage the buffer"))
          (unless (flymake-diagnostics) (throw 'fail "no diagnostics within 20 s"))
          (bh-out (format "managed by %s, %d diagnostics" (eglot--project-nickname (eglot-current-server)) (length (flymake-diagnostics))))
          nil)))
  (setq command-line-args-left nil)
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (if result (progn (bh-out (concat "FAIL " result)) (kill-emacs 1))
    (bh-out "PASS")
    (kill-emacs 0)))
