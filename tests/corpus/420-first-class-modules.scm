;; Guile's first-class modules: made, filled, imported and evaluated in by a program.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))

(define m (make-module))
(show (module? m) (module? 'm) (null? (module-uses m)))
(module-define! m 'x 42)
(show (module-ref m 'x) (module-bound? m 'x) (module-bound? m 'y)
      (module-locally-bound? m 'x) (module-ref m 'y 'default))

;; a variable is a first-class object, shared by everyone who holds it
(define v (make-variable 'first))
(module-add! m 'shared v)
(variable-set! v 'second)
(show (module-ref m 'shared) (eq? v (module-variable m 'shared))
      (variable? v) (variable-bound? v) (variable-bound? (make-undefined-variable)))

;; imports: a module's own binding wins over an import of the same name
(define lib (make-module))
(module-define! lib 'x 'from-lib)
(module-define! lib 'only-in-lib 'yes)
(module-use! m lib)
(module-use! m lib)
(show (length (module-uses m)) (module-ref m 'x) (module-ref m 'only-in-lib)
      (module-local-variable m 'only-in-lib) (eq? (module-variable m 'only-in-lib)
                                                 (module-local-variable lib 'only-in-lib)))

;; eval in a module made here, once it sees Guile's core
(beautify-user-module! m)
(show (eval '(list x (* 2 21) only-in-lib) m))
(eval '(define made-by-eval (+ x 1)) m)
(show (module-ref m 'made-by-eval))

;; a named module is found by resolve-module and imported by use-modules
(define named (resolve-module '(corpus made here)))
(beautify-user-module! named)
(module-define! named 'greeting "hello")
(module-export! named '(greeting))
(use-modules (corpus made here))
(show greeting (module-name named) (eq? named (resolve-module '(corpus made here))))
(show (resolve-module '(corpus not there) #:ensure #f))

;; interfaces: the public one is shared; #:select and #:prefix make custom ones
(define q1 (resolve-interface '(ice-9 q)))
(show (eq? q1 (resolve-interface '(ice-9 q))) (module-name q1)
      (procedure? (module-ref q1 'make-q)))
(define sel (resolve-interface '(ice-9 q) #:select '((make-q . new-q))))
(show (procedure? (module-ref sel 'new-q)) (module-ref sel 'make-q #f))
(show (eq? (module-public-interface the-root-module) the-scm-module)
      (eq? (module-public-interface the-scm-module) the-scm-module)
      (module-name the-root-module))

;; observers see definitions; a binder supplies missing names
(define seen 0)
(define o (make-module))
(module-observe o (lambda (mod) (set! seen (+ seen 1))))
(module-define! o 'a 1)
(module-define! o 'b 2)
(show seen)
(define lazy (make-module))
(set-module-binder! lazy (lambda (mod sym define?)
                           (and (eq? sym 'magic) (make-variable 'conjured))))
(show (module-ref lazy 'magic) (module-ref lazy 'other 'none))
(show (module-reverse-lookup (current-module) (module-variable (current-module) 'show)))
(show (version-matches? '(1 2) '(1 2 3)) (version-matches? '(1 2 3) '(1 2))
      (version-matches? '((>= 2)) '(3)))
(show (catch #t (lambda () (module-ref (make-module) 'nothing))
        (lambda (key . args) key)))
(show (catch #t (lambda () (variable-ref (make-undefined-variable)))
        (lambda (key . args) key)))
;; define-module*, the procedure under define-module, leaves the current module alone
(define star (define-module* '(corpus star)
               #:imports '(((ice-9 q) #:select (make-q)) ((srfi srfi-1)))
               #:exports '(z)))
(show (module-name star) (module-bound? star 'make-q) (module-bound? star 'q-push!)
      (module-bound? star 'fold) (eq? (current-module) star)
      (variable-bound? (module-variable (module-public-interface star) 'z)))
