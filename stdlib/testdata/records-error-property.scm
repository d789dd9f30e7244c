;; expect-error: 5:30: define-record-type* thing: field `size': unknown property `defualt'; did you mean `default'?
(use-modules (fruix records))
(define-record-type* <thing> thing make-thing thing?
  (name thing-name)
  (size thing-size           (defualt 42)))
