# Thin aliases for ./dev, which needs only bash and Python 3.11.
STACK ?= dev

.PHONY: preview test bench setup
preview:
	./dev preview $(STACK)
test:
	./dev test
bench:
	./dev bench
setup:
	./dev setup
