;;; build-step.scm: a computed file, made by a build step that runs in the
;;; build sandbox. The step is a G-expression: #~ quotes the code that
;;; runs at build time, #$ inserts values from this side, such as the
;;; store path of the template, and #$output names the file to produce.
;;;
;;;   bin/fruix-eval examples/build-step.scm
;;;   bin/fruix-eval --build examples/build-step.scm
;;;
;;; The build imports (fruix build utils) for substitute*; that module's
;;; source is shipped into the build, and is part of the derivation.

(use-modules (fruix gexp))

(define template
  (plain-file "sshd_config.in"
              "Port @PORT@\nPermitRootLogin @ROOT@\nPasswordAuthentication no\n"))

(define port 22)

(computed-file "sshd_config"
               (with-imported-modules '((fruix build utils))
                 #~(begin
                     (use-modules (fruix build utils))
                     (copy-file #$template #$output)
                     (chmod #$output #o644)
                     (substitute* #$output
                       (("@PORT@") #$(number->string port))
                       (("@ROOT@") "no")))))
