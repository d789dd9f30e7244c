;;; hello.scm: a first Fruix program. It describes a small FreeBSD host
;;; with records, checks the description with match, and prints a
;;; summary and the rc.conf lines the host would get.
;;;
;;;   bin/fruix-eval examples/hello.scm
;;;
;;; Later versions of Fruix evaluate a full `operating-system' declaration
;;; into derivations; this one is plain Scheme.

(use-modules (ice-9 match)
             (srfi srfi-1)
             (srfi srfi-26))

(define-record-type <user>
  (make-user name uid groups shell)
  user?
  (name user-name)
  (uid user-uid)
  (groups user-groups)
  (shell user-shell))

(define-record-type <service>
  (make-service kind settings)
  service?
  (kind service-kind)
  (settings service-settings))

(define host
  `((host-name . "fruix-vm")
    (release . "15.0-RELEASE")
    (users . ,(list (make-user "alice" 1001 '("wheel" "operator") "/bin/sh")
                    (make-user "bob" 1002 '() "/usr/local/bin/zsh")))
    (file-systems . (("/" "/dev/gpt/rootfs" ufs)
                     ("/boot/efi" "/dev/gpt/efi" msdosfs)
                     ("none" "/dev/gpt/swap" swap)))
    (services . ,(list (make-service 'dhcp-client '((interface . "vtnet0")))
                       (make-service 'openssh '((port . 22) (permit-root-login . #f)))
                       (make-service 'ntpd '())))))

(define (host-ref key)
  (match (assq key host)
    ((_ . value) value)
    (#f (error "host description lacks" key))))

;; One line per file system, as fstab would have it.
(define (fstab-line fs)
  (match fs
    ((mount-point device 'swap)
     (string-append device "\tnone\tswap\tsw\t0\t0"))
    ((mount-point device type)
     (string-append device "\t" mount-point "\t" (symbol->string type) "\trw\t1\t1"))))

;; The rc.conf settings a service contributes.
(define (service-rc.conf service)
  (match service
    (($ <service> 'dhcp-client (('interface . ifname)))
     (list (string-append "ifconfig_" ifname "=\"DHCP\"")))
    (($ <service> 'openssh settings)
     (cons "sshd_enable=\"YES\""
           (filter-map (match-lambda
                         (('port . 22) #f)          ; the default needs no line
                         (('port . port)
                          (string-append "sshd_flags=\"-p " (number->string port) "\""))
                         (('permit-root-login . #f) #f)
                         (_ #f))
                       settings)))
    (($ <service> kind _)
     (list (string-append (symbol->string kind) "_enable=\"YES\"")))))

(define (user-summary user)
  (match user
    (($ <user> name uid () shell)
     (format #f "~a (uid ~a, ~a)" name uid shell))
    (($ <user> name uid groups shell)
     (format #f "~a (uid ~a, ~a; groups: ~a)" name uid shell
             (string-join groups ", ")))))

(define (print-section title lines)
  (display title)
  (newline)
  (for-each (cut format #t "  ~a~%" <>) lines))

(format #t "Host ~a, FreeBSD ~a~%" (host-ref 'host-name) (host-ref 'release))
(print-section "Users:" (map user-summary (host-ref 'users)))
(print-section "fstab:" (map fstab-line (host-ref 'file-systems)))
(print-section "rc.conf:"
               (cons (string-append "hostname=\"" (host-ref 'host-name) "\"")
                     (append-map service-rc.conf (host-ref 'services))))

;; The value of the last expression is what fruix-eval prints: here the
;; number of wheel members, which must be 1.
(count (lambda (u) (member "wheel" (user-groups u))) (host-ref 'users))
