;; expect-error: 6:11: this-thing: used outside a thunked field or its default
(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing? this-thing
  (name thing-name)
  (label thing-label (thunked) (default (thing-name this-thing))))
(define y (this-thing))
