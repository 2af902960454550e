;;; lsp-test.el --- Emacs 28 + eglot end-to-end test of the Bulkhead language server  -*- lexical-binding: t -*-
;; Run by test/e2e/run.mjs:  HOME=<tmp> emacs --batch -Q -l lsp-test.el <file>
;; Inputs (environment): BULKHEAD_NODE, BULKHEAD_SERVER, BULKHEAD_RULE, BULKHEAD_MESSAGE (prefix),
;;   BULKHEAD_FIX_TITLE (prefix), BULKHEAD_EXPECT, BULKHEAD_EXPECT_BEFORE (optional), BULKHEAD_TIMEOUT_MS.
;; Prints "STEP <name>" as it goes and "PASS" at the end; on failure "FAIL step=<name>: <why>"
;; and exits non-zero. Every wait polls a condition with accept-process-output under one deadline.

(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'cl-lib)
(require 'subr-x)

(defun bh-env (k &optional default)
  (let ((v (getenv k))) (if (or (null v) (string-empty-p v)) default v)))

(defvar bh-node (bh-env "BULKHEAD_NODE" "node"))
(defvar bh-server (bh-env "BULKHEAD_SERVER"))
(defvar bh-rule (bh-env "BULKHEAD_RULE" "no-root-user"))
(defvar bh-message (bh-env "BULKHEAD_MESSAGE" ""))
(defvar bh-fix-title (bh-env "BULKHEAD_FIX_TITLE"))
(defvar bh-expect (bh-env "BULKHEAD_EXPECT"))
(defvar bh-expect-before (bh-env "BULKHEAD_EXPECT_BEFORE"))
(defvar bh-deadline (+ (float-time) (/ (string-to-number (bh-env "BULKHEAD_TIMEOUT_MS" "30000")) 1000.0)))
(defvar bh-step "start")
(defvar bh-pushes 0 "How many publishDiagnostics notifications arrived.")

(defun bh-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))
(defun bh-begin (name) (setq bh-step name) (bh-out "STEP %s" name))
(defun bh-fail (fmt &rest args) (throw 'bh-fail (apply #'format fmt args)))
(defun bh-wait (what pred)
  "Poll PRED, processing server output, until it is non-nil or the deadline passes."
  (while (and (not (funcall pred)) (< (float-time) bh-deadline))
    (accept-process-output nil 0.02))
  (unless (funcall pred) (bh-fail "timed out waiting for %s" what)))

;; Emacs 28 has no Dockerfile mode of its own: a minimal one, so eglot can manage the buffer.
(define-derived-mode bulkhead-dockerfile-mode prog-mode "Dockerfile")

(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &key _uri _diagnostics &allow-other-keys)
  (cl-incf bh-pushes))

(defun bh-diag ()
  "The flymake diagnostic for `bh-rule' in the current buffer, from eglot's LSP data."
  (cl-find-if (lambda (d)
                (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                  (and lsp (equal (plist-get lsp :code) bh-rule))))
              (flymake-diagnostics)))

(defun bh-server-alive (server) (and server (jsonrpc-running-p server)))

(defun bh-main (file)
  (bh-begin "open")
  (find-file file)
  (bulkhead-dockerfile-mode)
  (let* ((dir (file-name-as-directory (file-name-directory (expand-file-name file))))
         (default-directory dir)
         (buf (current-buffer))
         server diag)
    (bh-begin "start server")
    (eglot (list 'bulkhead-dockerfile-mode) (cons 'transient dir) 'eglot-lsp-server
           (list bh-node bh-server "--stdio") "dockerfile")
    (bh-wait "eglot to manage the buffer"
             (lambda () (with-current-buffer buf (and (eglot-current-server) eglot--managed-mode))))
    (setq server (with-current-buffer buf (eglot-current-server)))
    ;; flymake defers its first run until the buffer shows in a window / after a command: start it now.
    (with-current-buffer buf (flymake-start))

    (bh-begin "diagnostics")
    (bh-wait (format "%s diagnostic in flymake" bh-rule)
             (lambda () (or (not (bh-server-alive server))
                            (with-current-buffer buf (setq diag (bh-diag))))))
    (unless (bh-server-alive server) (bh-fail "server exited"))
    (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag)))))
      (bh-out "diagnostic %s line %d: %s" (plist-get lsp :code)
              (1+ (plist-get (plist-get (plist-get lsp :range) :start) :line)) (plist-get lsp :message))
      (unless (string-prefix-p bh-message (plist-get lsp :message))
        (bh-fail "message %S does not start with %S" (plist-get lsp :message) bh-message)))

    (bh-begin "codeAction")
    (let* ((actions (with-current-buffer buf
                      (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag) "quickfix")))
           chosen)
      (dolist (a actions)
        (bh-out "action: %s" (plist-get a :title))
        (when (and (not chosen) (string-prefix-p bh-fix-title (plist-get a :title))) (setq chosen a)))
      (unless chosen (bh-fail "no code action titled %S... among %d" bh-fix-title (length actions)))

      (bh-begin "apply")
      (with-current-buffer buf
        (let ((edit (plist-get chosen :edit))
              (command (plist-get chosen :command)))
          (unless (or edit command) (bh-fail "the action has neither edit nor command"))
          (when edit (eglot--apply-workspace-edit edit))
          (when command
            (eglot-execute-command server (intern (plist-get command :command)) (plist-get command :arguments)))
          ;; In batch mode eglot's idle timer that sends didChange never fires: send it now.
          (eglot--signal-textDocument/didChange))))

    (bh-begin "write")
    (with-current-buffer buf (save-buffer))
    (let ((text (with-temp-buffer (insert-file-contents file) (buffer-string))))
      (unless (string-match-p (regexp-quote bh-expect) text)
        (bh-fail "saved file lacks %S" bh-expect))
      (when (and bh-expect-before
                 (not (string-match-p (regexp-quote (concat bh-expect "\n" bh-expect-before)) text)))
        (bh-fail "%S is not directly before %S" bh-expect bh-expect-before)))

    (bh-begin "diagnostic cleared")
    (bh-wait (format "%s to disappear after the fix" bh-rule)
             (lambda () (or (not (bh-server-alive server))
                            (with-current-buffer buf (null (bh-diag))))))
    (unless (bh-server-alive server) (bh-fail "server exited after the edit"))

    (bh-begin "shutdown")
    (let ((eglot-autoshutdown nil)) (ignore-errors (eglot-shutdown server)))
    (bh-out "PASS")))

(let* ((file (car command-line-args-left))
       (result (catch 'bh-fail
                 (condition-case err
                     (progn (bh-main file) nil)
                   (error (format "error: %S" err))))))
  (setq command-line-args-left nil)
  (if result
      (progn (bh-out "FAIL step=%s: %s" bh-step result) (kill-emacs 1))
    (kill-emacs 0)))

;;; lsp-test.el ends here
